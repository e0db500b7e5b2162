package reqcache

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/reqcache/reqcache/region"
)

const (
	stateLoading uint32 = iota
	stateDone
)

// entryBase is the untyped part of an entry: its place in the cache's lists
// and indexes, and the state of its load. While the entry loads, it is also
// the context its function runs with, so that cached calls made by the
// function find the entry that depends on them.
type entryBase struct {
	parent context.Context // the context of the call that loads the entry
	ms     *mstate
	self   node

	state atomic.Uint32

	// Guarded by ms.st.mu until state is stateDone, read-only after.
	inflight   int32 // index in cacheState.inflight while the load is under way
	removed    bool  // no longer in the store
	absent     bool  // a batch key the function returned no value for
	prev, next *entryBase
	err        error
	x          *extra
}

// extra holds what few entries need, so that the common entry stays small.
type extra struct {
	done       chan struct{} // closed when the load ends; made by the first waiter
	refs       []refKey      // tags and IDs from the result and from AddTags
	rparams    []any         // parameters derived from the result
	dependents []*entryBase  // entries whose loads used this one
	links      []*link       // the entry's places in the indexes
	panicked   *PanicError
	goexit     bool // the load ended by runtime.Goexit
	ownerErr   bool // the load failed because its caller's context ended
	uncached   bool // the load used a result that is not stored
}

// node is the typed part of an entry, seen from untyped code.
type node interface {
	// unstore deletes the entry from its method's store. st.mu must be held.
	unstore()
	// param returns the value of the method's i-th parameter, boxed.
	param(i int) any
	// paramIs reports whether the method's i-th parameter has value v.
	paramIs(i int, v any) bool
	// keyRefs calls f with the IDs the entry takes from its arguments.
	keyRefs(f func(refKey))
	// String describes the entry as a call: method(arguments).
	String() string
}

func (e *entryBase) more() *extra {
	if e.x == nil {
		e.x = new(extra)
	}
	return e.x
}

// wait returns a channel that is closed when the entry's load ends.
// st.mu must be held.
func (e *entryBase) wait() <-chan struct{} {
	x := e.more()
	if x.done == nil {
		x.done = make(chan struct{})
	}
	return x.done
}

// failedFor records that the load of e, called with ctx, failed with err:
// if err is ctx's own, the failure says nothing about the key, and waiters
// with a live context load it again (see retry). st.mu must be held.
func (e *entryBase) failedFor(ctx context.Context, err error) {
	if isContextErr(err) && ctx.Err() != nil {
		e.more().ownerErr = true
	}
}

// retry reports whether a caller that waited for the entry must load it
// itself: the load ended by runtime.Goexit, or failed because its own
// caller's context ended while ctx is live.
func (e *entryBase) retry(ctx context.Context) bool {
	if e.x == nil {
		return false
	}
	return e.x.goexit || (e.x.ownerErr && ctx.Err() == nil)
}

// Deadline implements context.Context for the entry's function.
func (e *entryBase) Deadline() (time.Time, bool) { return e.parent.Deadline() }

// Done implements context.Context for the entry's function.
func (e *entryBase) Done() <-chan struct{} { return e.parent.Done() }

// Err implements context.Context for the entry's function.
func (e *entryBase) Err() error { return e.parent.Err() }

// Value implements context.Context for the entry's function.
func (e *entryBase) Value(key any) any {
	if key == any(cacheKey) {
		return e
	}
	return e.parent.Value(key)
}

func (e *entryBase) String() string { return "reqcache load of " + e.self.String() }

// frame is the load that a cached function runs for. A cached call made by
// the function makes the frame's entries depend on the entry it returns.
type frame interface {
	cache() *Cache
	// dependOn records that the frame's entries used in, or, if in is nil,
	// a result that is not stored. st.mu must be held.
	dependOn(in *entryBase)
	// addRefs tags the frame's entries. st.mu must be held.
	addRefs(tags []region.Tag)
	// owns reports whether e is one of the frame's entries.
	owns(e *entryBase) bool
	// parent returns the context the frame's load was called with.
	parentContext() context.Context
}

func (e *entryBase) cache() *Cache { return e.ms.st.c }

func (e *entryBase) dependOn(in *entryBase) {
	if e.removed || e.state.Load() == stateDone {
		return
	}
	if in == nil || in.removed {
		e.more().uncached = true
		return
	}
	x := in.more()
	x.dependents = append(x.dependents, e)
}

func (e *entryBase) addRefs(tags []region.Tag) {
	if e.state.Load() == stateDone {
		return
	}
	x := e.more()
	for _, t := range tags {
		x.refs = append(x.refs, tagKey(t))
	}
}

func (e *entryBase) owns(w *entryBase) bool { return e == w }

func (e *entryBase) parentContext() context.Context { return e.parent }

// waitsForItself reports whether waiting for w from inside the frame f would
// wait for f itself, or for a load that f was called from.
func waitsForItself(f frame, w *entryBase) bool {
	for ; f != nil; _, f = lookup(f.parentContext()) {
		if f.owns(w) {
			return true
		}
	}
	return false
}

// inflightAdd adds e to the loads under way. st.mu must be held.
func (st *cacheState) inflightAdd(e *entryBase) {
	e.inflight = int32(len(st.inflight))
	grow := len(st.inflight) == cap(st.inflight)
	st.inflight = append(st.inflight, e)
	if grow {
		clear(st.inflightBuf[:]) // left behind by append: keep nothing reachable
	}
}

// inflightRemove undoes inflightAdd. st.mu must be held.
func (st *cacheState) inflightRemove(e *entryBase) {
	last := len(st.inflight) - 1
	moved := st.inflight[last]
	st.inflight[e.inflight] = moved
	moved.inflight = e.inflight
	st.inflight[last] = nil
	st.inflight = st.inflight[:last]
}

// settle ends the load of e: it keeps the entry stored, and indexed if the
// cache keeps indexes, or drops it, then wakes the waiters. An entry that
// was removed while it loaded stays removed. st.mu must be held.
func (st *cacheState) settle(e *entryBase, keep bool) {
	if !st.closed() {
		st.inflightRemove(e)
		if !e.removed {
			if !keep || (e.x != nil && e.x.uncached) {
				st.remove(e, false)
			} else if st.refs != nil {
				st.index(e)
			}
		}
	}
	e.state.Store(stateDone)
	if e.x != nil && e.x.done != nil {
		close(e.x.done)
	}
}

// settleAbnormal ends the load of e, whose function panicked with pe or,
// if pe is nil, called runtime.Goexit.
func (st *cacheState) settleAbnormal(e *entryBase, pe *PanicError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	x := e.more()
	if pe != nil {
		x.panicked = pe
		e.ms.errors++
	} else {
		x.goexit = true
	}
	st.settle(e, false)
}
