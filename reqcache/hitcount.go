package reqcache

import (
	"math/rand/v2"
	"sync/atomic"
)

// hitStripes is the number of counts a contended hitCount spreads over.
const hitStripes = 8

// A hitCount counts a method's hits in one Cache, which goroutines add to
// without a lock. It is one atomic count until two goroutines collide on
// it; then it spreads over stripes, each on a cache line of its own, that
// each hit picks at random, so that the hits of a request's goroutines do
// not all write one line. A count that never sees a collision costs no
// more memory than an atomic.Int64 and a pointer.
type hitCount struct {
	n       atomic.Int64
	stripes atomic.Pointer[[hitStripes]paddedCount]
}

// paddedCount is a count alone on its cache line.
type paddedCount struct {
	n atomic.Int64
	_ [56]byte
}

// add counts one hit.
func (h *hitCount) add() {
	if h.stripes.Load() == nil {
		if n := h.n.Load(); h.n.CompareAndSwap(n, n+1) {
			return
		}
	}
	h.addStriped()
}

// addStriped counts one hit on a stripe picked at random, making the
// stripes if no goroutine has.
func (h *hitCount) addStriped() {
	s := h.stripes.Load()
	if s == nil {
		h.stripes.CompareAndSwap(nil, new([hitStripes]paddedCount))
		s = h.stripes.Load()
	}
	s[rand.Uint32()%hitStripes].n.Add(1)
}

// load returns the hits counted. Hits counted at the same time may be
// missing from it; none is counted twice.
func (h *hitCount) load() int64 {
	n := h.n.Load()
	if s := h.stripes.Load(); s != nil {
		for i := range s {
			n += s[i].n.Load()
		}
	}
	return n
}
