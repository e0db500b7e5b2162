package reqcache

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/google/uuid"
)

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
	closed atomic.Bool
	txs    atomic.Int32 // transactions open (see Begin)

	// The states of the methods used, read without a lock: the first ones
	// here, the others in more, copied on write.
	tabs [4]atomic.Pointer[mstate]
	more atomic.Pointer[[]*mstate]

	mu       sync.Mutex
	n        int          // entries stored
	spilled  int          // entries in the shared stores
	seq      uint64       // the key space in the shared stores; 0 until a method's table is full
	hand     *entryBase   // the clock hand over the stored entries (see evict.go)
	inflight []*entryBase // loads under way
	waits    []waitEdge   // loads waiting for other loads (see cycle.go)
	index    map[indexKey]*chain
	inv      *invalidation // the invalidation under way
	final    []MethodStats // the counts at Close, in finalBuf if they fit
	safety   *safety       // verify mode and explain; nil when both are off
	pending  []any         // the *gathering of each batch method gathering calls

	inflightBuf [2]*entryBase
	finalBuf    [1]MethodStats

	id atomic.Pointer[uuid.UUID] // made at the first call of ID
}

// seqs hands out key spaces in the shared stores.
var seqs atomic.Uint64

// contextKey is the type of cacheKey.
type contextKey struct{ name string }

// cacheKey is the context key of a Cache and of the frame of a load.
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
// Scope allocates once; the first cached call of each method allocates
// once more, for the method's first entries.
func Scope(ctx context.Context) (context.Context, *Cache) {
	return ScopeWithOptions(ctx, Options{})
}

// ScopeWithOptions is like Scope, with options.
func ScopeWithOptions(ctx context.Context, opts Options) (context.Context, *Cache) {
	s := &scope{Context: ctx}
	s.c.opts = opts
	s.c.max = opts.maxEntries()
	s.c.inflight = s.c.inflightBuf[:0]
	if opts.Verify > 0 || opts.Explain {
		s.c.safety = newSafety(&s.c)
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
	if id := c.id.Load(); id != nil {
		return *id
	}
	id := uuid.New()
	c.id.CompareAndSwap(nil, &id)
	return *c.id.Load()
}

// Closed reports whether Close has been called. A nil Cache is closed.
func (c *Cache) Closed() bool {
	return c == nil || c.closed.Load()
}

// Close ends the cache: it drops every entry, so that nothing the unit of
// work cached stays reachable through the cache, and makes every later call
// through a context that carries it a plain call of the wrapped function.
// Loads under way finish for their callers but store nothing. Stats stay
// readable. Close is idempotent and may be called on a nil Cache.
func (c *Cache) Close() {
	if c == nil || c.closed.Swap(true) {
		return
	}
	c.mu.Lock()
	c.final = c.methodStatsLocked(c.finalBuf[:0])
	c.mu.Unlock()
	if o := c.opts.Observer; o != nil {
		o.Closed(c) // sees the entries held at the end
	}
	c.mu.Lock()
	if c.safety != nil {
		c.safety.closingLocked()
	}
	for i := range c.final {
		c.final[i].Entries = 0
	}
	c.dropLocked()
	c.mu.Unlock()
	if c.safety != nil {
		c.safety.flush(context.Background())
	}
}

// dropLocked drops every entry: those in the shared stores are deleted from
// them; the tables go with the cache's references to them.
func (c *Cache) dropLocked() {
	if c.spilled > 0 {
		c.eachMethodLocked(func(ms *mstate) {
			for e := ms.head; e != nil; e = e.mnext {
				if e.slot < 0 {
					e.self.unpublishLocked()
				}
			}
		})
	}
	for _, e := range c.inflight {
		if e.x != nil {
			e.x.prior = nil // the stale value a load under way kept
		}
	}
	for i := range c.tabs {
		c.tabs[i].Store(nil)
	}
	c.more.Store(nil)
	c.n, c.spilled = 0, 0
	c.hand, c.inflight, c.waits, c.index = nil, nil, nil, nil
	clear(c.inflightBuf[:])
}

// addMethodLocked adds ms to the methods the cache used.
func (c *Cache) addMethodLocked(ms *mstate) {
	for i := range c.tabs {
		if c.tabs[i].Load() == nil {
			c.tabs[i].Store(ms)
			return
		}
	}
	var more []*mstate
	if old := c.more.Load(); old != nil {
		more = append(more, *old...)
	}
	more = append(more, ms)
	c.more.Store(&more)
}

// eachMethodLocked calls f for the state of every method used, in the order
// of first use.
func (c *Cache) eachMethodLocked(f func(*mstate)) {
	for i := range c.tabs {
		ms := c.tabs[i].Load()
		if ms == nil {
			return
		}
		f(ms)
	}
	if more := c.more.Load(); more != nil {
		for _, ms := range *more {
			f(ms)
		}
	}
}

// spaceLocked returns the cache's key space in the shared stores, taking
// one at the first call.
func (c *Cache) spaceLocked() uint64 {
	if c.seq == 0 {
		c.seq = seqs.Add(1)
	}
	return c.seq
}

// closedLocked reports whether the cache is closed. With c.mu held, it
// tells whether the cache may still change: Close sets closed before it
// takes c.mu to drop the entries.
func (c *Cache) closedLocked() bool { return c.closed.Load() }
