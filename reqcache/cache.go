package reqcache

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/google/uuid"
	"github.com/reqcache/reqcache/region"
)

// DefaultMaxEntries is the number of entries a Cache holds at most when
// Options.MaxEntries is zero.
const DefaultMaxEntries = 10_000

// Options configure a Cache. The zero value is ready to use.
type Options struct {
	// MaxEntries bounds the number of entries the cache stores at once. A
	// load that finds the cache full returns its result without storing it,
	// and counts in Stats.Rejected. Zero means DefaultMaxEntries; a negative
	// value means no bound.
	MaxEntries int

	// OnInvalidate, if not nil, is called after every invalidation of the
	// cache, with what was invalidated and the entries it removed. It is
	// called on the goroutine that invalidated, with no lock held. Describing
	// the entries formats their arguments, which costs allocations: leave it
	// nil unless the report is used.
	OnInvalidate func(Invalidation)
}

// An Invalidation reports one invalidation, for Options.OnInvalidate.
type Invalidation struct {
	// Target describes what was invalidated, as in "Customer:42",
	// "Customer(preName=Smith)" or "(*Repo).GetCustomerByID(42)".
	Target string
	// Removed describes each entry the invalidation removed, including
	// entries removed because they depended on a removed one.
	Removed []string
}

// A Cache is the cache of one unit of work: an HTTP request, a job, a
// message. It holds the entries of every cached method called with a context
// that carries it, and is thrown away by Close when the unit of work ends.
//
// A Cache is created by Scope, which also puts it in a context; the
// middleware package does that for every HTTP request. Cached methods find it
// with FromContext. A nil or closed Cache makes every cached method a plain
// call of the function it wraps. A Cache is safe for concurrent use by the
// goroutines of its unit of work.
type Cache struct {
	opts   Options
	max    int
	seq    atomic.Uint64 // the cache's key space; 0 until the first use
	closed atomic.Bool

	idOnce sync.Once
	id     uuid.UUID

	mu       sync.Mutex
	n        int        // entries stored
	states   [2]mstate  // the first methods used, without an allocation
	more     []*mstate  // the others
	inflight *entryBase // loads under way, linked by iprev and inext
	indexed  bool       // refs and params indexes are kept
	refs     map[refKey]*chain
	report   *[]string // descriptions of removed entries, during an invalidation with OnInvalidate
}

// seqs hands out key spaces: every Cache keys its entries with its own.
var seqs atomic.Uint64

type ctxKey struct{}

// scope is the context that carries a Cache: one allocation for both.
type scope struct {
	context.Context
	c Cache
}

func (s *scope) Value(key any) any {
	if key == (ctxKey{}) {
		return &s.c
	}
	return s.Context.Value(key)
}

// Scope returns a copy of ctx that carries a new, empty Cache, and that
// Cache. The caller must call Close when the unit of work ends.
//
// Scope allocates once and does no other work: the cache's storage is set up
// by its first cached call, so a unit of work that never calls a cached
// method pays for nothing else.
func Scope(ctx context.Context) (context.Context, *Cache) {
	return ScopeWithOptions(ctx, Options{})
}

// ScopeWithOptions is like Scope, with options.
func ScopeWithOptions(ctx context.Context, opts Options) (context.Context, *Cache) {
	s := &scope{Context: ctx}
	s.c.opts = opts
	switch {
	case opts.MaxEntries == 0:
		s.c.max = DefaultMaxEntries
	case opts.MaxEntries < 0:
		s.c.max = int(^uint(0) >> 1)
	default:
		s.c.max = opts.MaxEntries
	}
	return s, &s.c
}

// FromContext returns the Cache that ctx carries, or nil if it carries none.
// Inside a cached method's function, it returns the Cache of the call that
// runs it.
func FromContext(ctx context.Context) *Cache {
	c, _ := lookup(ctx)
	return c
}

// lookup returns the cache ctx carries and, inside a cached function, the
// frame of the load that runs it.
func lookup(ctx context.Context) (*Cache, frame) {
	switch v := ctx.Value(ctxKey{}).(type) {
	case *Cache:
		return v, nil
	case frame:
		return v.cache(), v
	}
	return nil, nil
}

// ID returns the cache's unique ID, for logs and traces. It is made at the
// first call.
func (c *Cache) ID() uuid.UUID {
	if c == nil {
		return uuid.Nil
	}
	c.idOnce.Do(func() { c.id = uuid.New() })
	return c.id
}

// Closed reports whether Close has been called. A nil Cache is closed.
func (c *Cache) Closed() bool {
	return c == nil || c.closed.Load()
}

// Close ends the cache: it removes every entry, so that nothing the unit of
// work cached stays reachable through the cache, and makes every later call
// through a context that carries it a plain call of the wrapped function.
// Loads under way finish for their callers but store nothing. Stats stay
// readable. Close is idempotent and may be called on a nil Cache.
func (c *Cache) Close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed.Load() {
		return
	}
	c.closed.Store(true)
	c.eachState(func(s *mstate) {
		for e := s.head; e != nil; e = e.next {
			e.self.unstore()
		}
		s.head = nil
		s.params = nil
		s.slab = nil
		s.entries = 0
	})
	c.n = 0
	c.inflight = nil
	c.refs = nil
}

// key returns the cache's key space, taking one at the first call.
func (c *Cache) key() uint64 {
	if s := c.seq.Load(); s != 0 {
		return s
	}
	c.seq.CompareAndSwap(0, seqs.Add(1))
	return c.seq.Load()
}

// state returns the cache's state for m, making it at the first use.
// c.mu must be held.
func (c *Cache) state(m *method) *mstate {
	for i := range c.states {
		s := &c.states[i]
		if s.m == m {
			return s
		}
		if s.m == nil {
			s.c, s.m = c, m
			return s
		}
	}
	for _, s := range c.more {
		if s.m == m {
			return s
		}
	}
	s := &mstate{c: c, m: m}
	c.more = append(c.more, s)
	return s
}

// existingState returns the cache's state for m, or nil if m was not used.
// c.mu must be held.
func (c *Cache) existingState(m *method) *mstate {
	for i := range c.states {
		if c.states[i].m == m {
			return &c.states[i]
		}
	}
	for _, s := range c.more {
		if s.m == m {
			return s
		}
	}
	return nil
}

// eachState calls f for the state of every method used. c.mu must be held.
func (c *Cache) eachState(f func(*mstate)) {
	for i := range c.states {
		if c.states[i].m == nil {
			return
		}
		f(&c.states[i])
	}
	for _, s := range c.more {
		f(s)
	}
}

// full reports whether the cache holds as many entries as it may.
// c.mu must be held.
func (c *Cache) full() bool { return c.n >= c.max }

// An mstate is what a Cache holds for one cached method.
type mstate struct {
	c    *Cache
	m    *method
	hits atomic.Int64

	// Guarded by c.mu.
	head        *entryBase // the method's entries, linked by prev and next
	misses      int64
	loads       int64
	errors      int64
	invalidated int64
	rejected    int64
	entries     int64
	params      []map[any]*chain // per declared parameter, once the cache is indexed
	slab        any              // *entrySlab[K, V] of the method's engine
}

// link adds e, just stored, to the cache's accounting. c.mu must be held.
func (c *Cache) link(s *mstate, e *entryBase) {
	e.ms = s
	e.next = s.head
	if s.head != nil {
		s.head.prev = e
	}
	s.head = e
	s.entries++
	c.n++
}

// unlink undoes link. c.mu must be held.
func (c *Cache) unlink(e *entryBase) {
	s := e.ms
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		s.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	}
	e.prev, e.next = nil, nil
	s.entries--
	c.n--
}

// The regions' tags reach entries through refs; methods use refKey for
// nothing else.
type refKey struct {
	region *region.Info
	id     any
}
