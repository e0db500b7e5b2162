package reqcache

import (
	"context"
	"sync/atomic"
)

// Deep Refresh (Metalama: "contrary to Invalidate, Refresh will cause
// methods in the calling context to skip the cache"). Refresh of a method
// runs its function with a frame that belongs to a refresh tree, and so do
// the loads that function starts, transitively: a cached call made from a
// frame of a tree uses an entry only if the tree loaded or primed it, and
// otherwise loads the call again in place of the entry it finds, done or
// loading. The fresh entries are stored, and the outer entries depend on
// them as on any entry their loads used.
//
// Within one tree, each call is loaded once: a second call of it, or a
// second Refresh of it, waits for or uses the tree's entry. Other
// goroutines of the Cache are not part of the tree: they use what the
// cache holds, the stale entries until the tree replaces them, and join
// the tree's loads once it has claimed them. A tree that reaches a load
// its own goroutines wait for returns ErrCycle, as Get does.
//
// The tree is known by an ID in its frames and in the entries it loads
// (extra.refresh), not by a pointer: an entry keeps nothing of the refresh
// alive.

// refreshSeqs hands out the IDs of refresh trees.
var refreshSeqs atomic.Uint64

// A refreshFrame is the frame a deep Refresh makes its call from: the root
// of a refresh tree. It loads nothing itself; what its calls use, the frame
// Refresh was called from, if any, uses.
type refreshFrame struct {
	context.Context // the context Refresh was called with
	c               *Cache
	up              frame  // the frame Refresh was called from, or nil
	id              uint64 // the tree's ID
}

func (rf *refreshFrame) Value(key any) any {
	if key == any(cacheKey) {
		return rf
	}
	return rf.Context.Value(key)
}

func (rf *refreshFrame) cache() *Cache                  { return rf.c }
func (rf *refreshFrame) owns(*entryBase) bool           { return false }
func (rf *refreshFrame) parentContext() context.Context { return rf.Context }
func (rf *refreshFrame) refreshing() uint64             { return rf.id }

func (rf *refreshFrame) dependOnLocked(in *entryBase) {
	if rf.up != nil {
		rf.up.dependOnLocked(in)
	}
}

func (rf *refreshFrame) addRefsLocked(refs []refKey) {
	if rf.up != nil {
		rf.up.addRefsLocked(refs)
	}
}

func (rf *refreshFrame) String() string {
	if rf.up != nil {
		return rf.up.String()
	}
	return "Refresh"
}

func (e *entryBase) refreshing() uint64 {
	if e.x == nil {
		return 0
	}
	return e.x.refresh
}

// The entries of a batch call are claimed together, from one frame, and
// belong to the same tree or to none.
func (bf *batchFrame) refreshing() uint64 { return bf.entries[0].refreshing() }

// deepRefresh reports whether a Refresh of m from fr is deep: m was not
// made with ShallowRefresh, or fr belongs to a refresh tree already.
func (m *method) deepRefresh(fr frame) bool {
	return !m.shallowRefresh || (fr != nil && fr.refreshing() != 0)
}

// refreshFrom returns the context and frame that a deep Refresh called with
// ctx from fr makes its call with: ctx and fr if fr belongs to a refresh
// tree already, so that the tree loads each call once, or else the frame
// of a new tree.
func refreshFrom(ctx context.Context, c *Cache, fr frame) (context.Context, frame) {
	if fr != nil && fr.refreshing() != 0 {
		return ctx, fr
	}
	rf := &refreshFrame{Context: ctx, c: c, up: fr, id: refreshSeqs.Add(1)}
	return rf, rf
}

// staleForLocked reports whether a call from fr must load its key again
// rather than use e, the entry the cache holds for it: fr belongs to a
// refresh tree that did not load e.
func staleForLocked(fr frame, e *entryBase) bool {
	id := fr.refreshing()
	return id != 0 && e.refreshing() != id
}

// markLocked makes e, an entry claimed from fr, part of fr's refresh tree,
// if fr belongs to one.
func markLocked(fr frame, e *entryBase) {
	if id := fr.refreshing(); id != 0 {
		e.more().refresh = id
	}
}
