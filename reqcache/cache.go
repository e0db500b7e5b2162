package reqcache

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/google/uuid"
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

	// Observer, if not nil, watches the cache's loads, invalidations and
	// end, for tracing and metrics. Nil means none, at no cost.
	Observer Observer
}

// An Invalidation reports one invalidation, for Options.OnInvalidate.
type Invalidation struct {
	// Kind says how the entries were selected: "call" (one exact call),
	// "method" (every entry of one method), "id" (unique IDs and tags),
	// "match" (parameters), "region", "all", or "targets" (several kinds
	// at once).
	Kind string
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
	st     atomic.Pointer[cacheState] // made by the first cached call

	idOnce sync.Once
	id     uuid.UUID
}

// seqs hands out key spaces: every Cache keys its entries with its own.
var seqs atomic.Uint64

// contextKey is the type of cacheKey.
type contextKey struct{ name string }

// cacheKey is the context key of a Cache and of the frame of a load. A
// pointer compares in two instructions where a struct value needs a call.
var cacheKey = &contextKey{"reqcache"}

// scope is the context that carries a Cache: one allocation for both.
type scope struct {
	context.Context
	c Cache
}

func (s *scope) Value(key any) any {
	if key == any(cacheKey) {
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
	if s, ok := ctx.(*scope); ok { // the common case, without a dynamic call
		return &s.c, nil
	}
	return lookupValue(ctx)
}

func lookupValue(ctx context.Context) (*Cache, frame) {
	switch v := ctx.Value(cacheKey).(type) {
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
	if c == nil || c.closed.Swap(true) {
		return
	}
	// A first cached call that races with Close makes the state before it
	// checks closed under the state's lock: either Close sees the state
	// here, or that call sees closed.
	if st := c.st.Load(); st != nil {
		st.close()
	}
	if o := c.opts.Observer; o != nil {
		o.Closed(c)
	}
}

// key returns the cache's key space, taking one at the first call.
func (c *Cache) key() uint64 {
	if s := c.seq.Load(); s != 0 {
		return s
	}
	c.seq.CompareAndSwap(0, seqs.Add(1))
	return c.seq.Load()
}

// state returns the cache's state, making it at the first call.
func (c *Cache) state() *cacheState {
	if st := c.st.Load(); st != nil {
		return st
	}
	return c.newState()
}

func (c *Cache) newState() *cacheState {
	st := &cacheState{c: c}
	st.inflight = st.inflightBuf[:0]
	c.st.CompareAndSwap(nil, st)
	return c.st.Load()
}

// used returns the cache's state, or nil if no cached method used the cache.
func (c *Cache) used() *cacheState {
	if c == nil {
		return nil
	}
	return c.st.Load()
}
