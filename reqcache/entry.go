package reqcache

import (
	"context"
	"sync/atomic"
	"time"
)

// The states of an entry. An entry is published to lock-free readers only
// when every field they read is set: they read its value and error only
// after they see it done.
const (
	stateLoading uint32 = iota // its load is under way
	stateDone                  // it holds a value or an error
	stateAbsent                // a batch function returned no value for its key
	stateStale                 // it holds a value soft invalidated or expired (see stale.go)
	stateTimed                 // it holds a value that expires (see expire.go)
)

// entryBase is the untyped part of an entry: its places in the cache's
// lists and indexes, and the state of its load. While the entry loads, it is
// also the context its function runs with (see frame).
type entryBase struct {
	ms     *mstate
	self   node
	parent context.Context // the context of the call that loads the entry

	state atomic.Uint32
	ref   atomic.Bool // hit since the clock hand last passed (see evict.go)

	// Guarded by ms.c.mu while the entry is stored.
	removed      bool  // no longer stored
	slot         int8  // index in its table's slots, or -1 in the shared store
	inflight     int32 // index in Cache.inflight while the load is under way
	prev, next   *entryBase
	mprev, mnext *entryBase
	err          error
	x            *extra
}

// extra holds what few entries need, so that the common entry stays small.
type extra struct {
	done       chan struct{} // closed when the load ends; made by the first waiter
	sharedDone bool          // done is a gathering's, which closes it (see coalesce.go)
	owner      frame         // the batch load that loads the entry; nil: the entry itself
	refs       []refKey      // tags and IDs from the result and from AddTags
	rparams    []any         // parameters derived from the result
	uses       *dep          // the entries the entry's load used
	dependents *dep          // the entries whose loads used this one
	links      []*link       // the entry's places in the indexes
	panicked   *PanicError
	goexit     bool             // the load ended by runtime.Goexit
	absent     bool             // a batch function returned no value for the key
	end        func(LoadResult) // ends the Observer's view of the load
	storedAt   time.Time        // verify mode: when the entry was stored
	snapshot   any              // verify mode: a deep copy of the value stored
	mutated    bool             // verify mode: a change was reported
	ownerErr   bool             // the load failed because its caller's context ended
	uncached   bool             // the load used a result that is not stored
	noIDs      bool             // an error of a method with IDs from its result: it matches every ID
	refresh    uint64           // the deep Refresh whose calls loaded the entry, or 0 (see refresh.go)
	prior      *entryBase       // the stale entry the load under way replaces, for GetStale
	timed      *timing          // when the entry expires; set before it is published as timed
}

// node is the typed part of an entry, seen from untyped code.
type node interface {
	// unpublish takes the entry out of its table. c.mu must be held.
	unpublishLocked()
	// param returns the value of the method's i-th parameter, boxed.
	param(i int) any
	// paramIs reports whether the method's i-th parameter has value v.
	paramIs(i int, v any) bool
	// keyRefs calls f with the IDs the entry takes from its arguments.
	keyRefs(f func(refKey))
	// value returns the entry's value, boxed.
	value() any
	// args formats the entry's arguments, as in `42, "Smith"`.
	args() string
	// String describes the entry as a call: method(arguments).
	String() string
}

// entry is one cached call of a method whose keys are K and values V.
type entry[K key[K], V any] struct {
	entryBase
	key K
	val V
}

func (e *entryBase) more() *extra {
	if e.x == nil {
		e.x = new(extra)
	}
	return e.x
}

// doneLocked returns a channel that is closed when the entry's load ends.
func (e *entryBase) doneLocked() <-chan struct{} {
	x := e.more()
	if x.done == nil {
		x.done = make(chan struct{})
	}
	return x.done
}

// loaded reports whether the entry holds an outcome.
func (e *entryBase) loaded() bool { return e.state.Load() != stateLoading }

// owner returns the frame that loads the entry.
func (e *entryBase) owner() frame {
	if e.x != nil && e.x.owner != nil {
		return e.x.owner
	}
	return e
}

// failedForLocked records that the load of e, called with ctx, failed with
// err: if err is ctx's own, the failure says nothing about the key, and
// waiters with a live context load it again (see retry).
func (e *entryBase) failedForLocked(ctx context.Context, err error) {
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

func (e *entry[K, V]) unpublishLocked() { e.ms.tab.(*table[K, V]).unpublishLocked(e) }

func (e *entry[K, V]) param(i int) any {
	m := e.ms.m
	if i < m.nargs {
		return e.key.arg(i)
	}
	if e.x == nil || e.x.rparams == nil {
		return anyValue{} // no result: the entry matches every value
	}
	return e.x.rparams[i-m.nargs]
}

func (e *entry[K, V]) paramIs(i int, v any) bool {
	if i < e.ms.m.nargs {
		return e.key.argIs(i, v)
	}
	p := e.param(i)
	return p == anyValue{} || p == v
}

func (e *entry[K, V]) keyRefs(f func(refKey)) {
	m := e.ms.m
	for _, i := range m.idArgs {
		f(refKey{m.region, e.key.arg(i)})
	}
}

func (e *entry[K, V]) args() string { return e.key.format() }

func (e *entry[K, V]) value() any { return e.val }

func (e *entry[K, V]) String() string {
	return e.ms.m.name + "(" + e.key.format() + ")"
}

// anyValue is the parameter value of an entry that has no result to derive
// it from: it matches every value.
type anyValue struct{}
