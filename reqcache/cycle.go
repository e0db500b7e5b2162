package reqcache

import (
	"errors"
	"fmt"
	"strings"
)

// ErrCycle is the error of a cached call that would wait, directly or
// through other goroutines of its Cache, for a load that waits for it: a
// function that calls itself, two functions that call each other from two
// goroutines, or a batch function that asks for its own keys. The error
// returned wraps ErrCycle and names the calls of the cycle.
var ErrCycle = errors.New("reqcache: cycle of loads")

// A waitEdge records that a goroutine running the function of the frame
// from waits for the load of the entry to. The edges, with the frames'
// ancestry (a frame whose function called another cached function waits
// for that call's load), are the wait-for graph of a Cache's loads. Only
// waits from inside a load are edges: nothing waits for a goroutine that
// runs no load.
type waitEdge struct {
	from frame
	to   *entryBase
}

// waitLocked prepares the caller, from the frame fr if not nil, to wait for
// the load of e: it records the dependency and the wait, and returns the
// channel that is closed when the load ends. It returns an error wrapping
// ErrCycle, and waits for nothing, if e's load waits for fr.
func (c *Cache) waitLocked(fr frame, e *entryBase) (<-chan struct{}, error) {
	e.ms.misses++
	if fr != nil {
		if path := c.cycleLocked(fr, e); path != nil {
			return nil, fmt.Errorf("%w: %s", ErrCycle, strings.Join(path, " waits for "))
		}
		fr.dependOnLocked(e)
		c.waits = append(c.waits, waitEdge{fr, e})
	}
	return e.doneLocked(), nil
}

// dropWaitLocked removes the edge of one wait of fr for e.
func (c *Cache) dropWaitLocked(fr frame, e *entryBase) {
	for i, w := range c.waits {
		if w.from == fr && w.to == e {
			c.dropWaitAtLocked(i)
			return
		}
	}
}

// dropWaitsForLocked removes the edges to e, whose load ended.
func (c *Cache) dropWaitsForLocked(e *entryBase) {
	for i := 0; i < len(c.waits); {
		if c.waits[i].to == e {
			c.dropWaitAtLocked(i)
			continue
		}
		i++
	}
}

func (c *Cache) dropWaitAtLocked(i int) {
	last := len(c.waits) - 1
	c.waits[i] = c.waits[last]
	c.waits[last] = waitEdge{}
	c.waits = c.waits[:last]
}

// cycleLocked returns the calls of the cycle that fr waiting for e would
// close, starting with fr's, or nil if there is none: it follows the
// wait-for graph from e's load, looking for fr or a frame that fr's load
// was called from.
func (c *Cache) cycleLocked(fr frame, e *entryBase) []string {
	steps := []cycleStep{{e.owner(), -1, e}}
	for i := 0; i < len(steps); i++ {
		f := steps[i].f
		if f == fr || ancestor(f, fr) {
			var path []string
			for j := i; j >= 0; j = steps[j].prev {
				path = append(path, steps[j].via.self.String())
			}
			for a, b := 0, len(path)-1; a < b; a, b = a+1, b-1 {
				path[a], path[b] = path[b], path[a]
			}
			return append([]string{fr.String()}, path...)
		}
		for _, w := range c.waits {
			if (w.from == f || ancestor(f, w.from)) && !reached(steps, w.to.owner()) {
				steps = append(steps, cycleStep{w.to.owner(), i, w.to})
			}
		}
	}
	return nil
}

// ancestor reports whether a's function called, directly or through other
// cached functions, the load of the frame f.
func ancestor(a, f frame) bool {
	for {
		_, f = lookup(f.parentContext())
		if f == nil {
			return false
		}
		if f == a {
			return true
		}
	}
}

// A cycleStep is a frame that cycleLocked reached.
type cycleStep struct {
	f    frame
	prev int        // the index of the step it was reached from, or -1
	via  *entryBase // the entry whose load f runs
}

// reached reports whether steps reached f.
func reached(steps []cycleStep, f frame) bool {
	for _, s := range steps {
		if s.f == f {
			return true
		}
	}
	return false
}
