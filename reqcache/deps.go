package reqcache

import (
	"context"
	"time"

	"github.com/reqcache/reqcache/region"
)

// A frame is a load under way, seen from the cached function it runs: the
// function's context is the frame, so that the cached calls it makes find
// the entries they must make depend on theirs (rule 5 of the design), and
// a call that would wait for the frame's own load finds out (see cycle.go).
// The frame of a single call is its entry; that of a batch call is a
// batchFrame.
type frame interface {
	context.Context
	cache() *Cache
	// dependOnLocked records that the frame's entries used in, or, if in
	// is nil, a result that is not stored.
	dependOnLocked(in *entryBase)
	// addRefsLocked tags the frame's entries.
	addRefsLocked(refs []refKey)
	// owns reports whether e is one of the frame's entries.
	owns(e *entryBase) bool
	// parentContext returns the context the frame's load was called with.
	parentContext() context.Context
	// refreshing returns the ID of the deep Refresh the frame's load is
	// part of, or 0 (see refresh.go).
	refreshing() uint64
	// String describes the frame's calls.
	String() string
}

// A dep records that the load of outer used inner: removing inner removes
// outer. It is linked into both entries' lists, so that removing either
// takes it out in O(1), and an entry's lists hold only live entries.
type dep struct {
	outer, inner *entryBase
	uprev, unext *dep // in outer's uses
	dprev, dnext *dep // in inner's dependents
}

func (e *entryBase) cache() *Cache                  { return e.ms.c }
func (e *entryBase) owns(w *entryBase) bool         { return e == w }
func (e *entryBase) parentContext() context.Context { return e.parent }
func (e *entryBase) String() string                 { return e.self.String() }

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

func (e *entryBase) dependOnLocked(in *entryBase) {
	if e.removed || e.loaded() || in == e {
		return
	}
	x := e.more()
	if in == nil || in.removed {
		x.uncached = true
		return
	}
	if x.uses != nil && x.uses.inner == in {
		return // the same call again
	}
	d := &dep{outer: e, inner: in, unext: x.uses}
	if x.uses != nil {
		x.uses.uprev = d
	}
	x.uses = d
	y := in.more()
	d.dnext = y.dependents
	if y.dependents != nil {
		y.dependents.dprev = d
	}
	y.dependents = d
	e.usedTimedLocked(in)
}

func (e *entryBase) addRefsLocked(refs []refKey) {
	if e.loaded() {
		return
	}
	x := e.more()
	x.refs = append(x.refs, refs...)
}

// unlinkUses takes e's uses out of their inner entries' dependents.
// c.mu must be held.
func (e *entryBase) unlinkUsesLocked() {
	if e.x == nil {
		return
	}
	for d := e.x.uses; d != nil; d = d.unext {
		in := d.inner.x
		if d.dprev != nil {
			d.dprev.dnext = d.dnext
		} else {
			in.dependents = d.dnext
		}
		if d.dnext != nil {
			d.dnext.dprev = d.dprev
		}
	}
	e.x.uses = nil
}

// takeDependentsLocked appends to buf the entries that depend on e, and
// takes their deps out of both lists. c.mu must be held.
func (e *entryBase) takeDependentsLocked(buf []*entryBase) []*entryBase {
	if e.x == nil {
		return buf
	}
	for d := e.x.dependents; d != nil; d = d.dnext {
		out := d.outer.x
		if d.uprev != nil {
			d.uprev.unext = d.unext
		} else {
			out.uses = d.unext
		}
		if d.unext != nil {
			d.unext.uprev = d.uprev
		}
		buf = append(buf, d.outer)
	}
	e.x.dependents = nil
	return buf
}

// AddTags tags the entry that the cached function running with ctx is
// loading, for a value assembled by hand: the entry is removed when any of
// the tagged IDs is invalidated. It reports whether ctx belongs to such a
// load; called with any other context, it does nothing. Zero tags are
// ignored.
func AddTags(ctx context.Context, tags ...region.Tag) bool {
	c, fr := lookup(ctx)
	if fr == nil {
		return false
	}
	refs := make([]refKey, 0, len(tags))
	for _, t := range tags {
		if t.Region() != nil {
			refs = append(refs, tagKey(t))
		}
	}
	c.mu.Lock()
	fr.addRefsLocked(refs)
	c.mu.Unlock()
	return true
}

// DoNotCache makes the load that the cached function running with ctx
// runs hand out its result without storing it: its caller and the waiters
// of the load get it, and the next call loads again. It reports whether ctx
// belongs to such a load; called with any other context, it does nothing.
// Inside a batch function, it applies to every key of the call; NoCacheIf
// decides per value.
func DoNotCache(ctx context.Context) bool {
	c, fr := lookup(ctx)
	if fr == nil {
		return false
	}
	c.mu.Lock()
	fr.dependOnLocked(nil) // a result that is not stored
	c.mu.Unlock()
	return true
}
