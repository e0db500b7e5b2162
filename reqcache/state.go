package reqcache

import (
	"sync"
	"sync/atomic"
)

// A cacheState is what a Cache holds once a cached method has used it: the
// entries of every method, the loads under way and the indexes. It is a
// separate allocation so that Scope stays small for a unit of work that
// never calls a cached method. Everything in it is guarded by mu.
type cacheState struct {
	c *Cache

	mu       sync.Mutex
	n        int          // entries stored
	methods  [2]mstate    // the first methods used, without an allocation
	more     []*mstate    // the others
	inflight []*entryBase // loads under way

	// The indexes, nil until the first invalidation that needs them (see
	// ensureIndexed).
	refs   map[refKey]*chain
	params map[paramKey]*chain

	kind   string    // Invalidation.Kind of the invalidation under way
	report *[]string // descriptions of removed entries, during an invalidation with OnInvalidate

	inflightBuf [2]*entryBase // inflight's first array
}

// An mstate is what a Cache holds for one cached method.
type mstate struct {
	st   *cacheState
	m    *method
	hits atomic.Int64

	// Guarded by st.mu.
	head        *entryBase // the method's entries, linked by prev and next
	misses      int64
	loads       int64
	errors      int64
	invalidated int64
	rejected    int64
	entries     int64
	slab        any // *entrySlab[K, V] of the method's engine
}

// closed reports whether the cache was closed. Checked with st.mu held, it
// tells whether the state may still change: Close sets it before it takes
// st.mu to empty the state.
func (st *cacheState) closed() bool { return st.c.closed.Load() }

// close removes every entry from the stores, and drops what the state holds,
// so that nothing the cache stored stays reachable through it.
func (st *cacheState) close() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.eachMethod(func(s *mstate) {
		for e := s.head; e != nil; e = e.next {
			e.self.unstore()
		}
		s.head = nil
		s.slab = nil
		s.entries = 0
	})
	st.n = 0
	st.inflight = nil
	clear(st.inflightBuf[:])
	st.refs = nil
	st.params = nil
}

// method returns the state for m, making it at the first use.
// st.mu must be held.
func (st *cacheState) method(m *method) *mstate {
	for i := range st.methods {
		s := &st.methods[i]
		if s.m == m {
			return s
		}
		if s.m == nil {
			s.st, s.m = st, m
			return s
		}
	}
	if s := st.existingMethod(m); s != nil {
		return s
	}
	s := &mstate{st: st, m: m}
	st.more = append(st.more, s)
	return s
}

// existingMethod returns the state for m, or nil if m was not used.
// st.mu must be held.
func (st *cacheState) existingMethod(m *method) *mstate {
	for i := range st.methods {
		if st.methods[i].m == m {
			return &st.methods[i]
		}
	}
	for _, s := range st.more {
		if s.m == m {
			return s
		}
	}
	return nil
}

// eachMethod calls f for the state of every method used. st.mu must be held.
func (st *cacheState) eachMethod(f func(*mstate)) {
	for i := range st.methods {
		if st.methods[i].m == nil {
			return
		}
		f(&st.methods[i])
	}
	for _, s := range st.more {
		f(s)
	}
}

// full reports whether the cache holds as many entries as it may.
// st.mu must be held.
func (st *cacheState) full() bool { return st.n >= st.c.max }

// link adds e, just stored, to the state of s. st.mu must be held.
func (st *cacheState) link(s *mstate, e *entryBase) {
	e.ms = s
	e.next = s.head
	if s.head != nil {
		s.head.prev = e
	}
	s.head = e
	s.entries++
	st.n++
}

// unlink undoes link. st.mu must be held.
func (st *cacheState) unlink(e *entryBase) {
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
	st.n--
}
