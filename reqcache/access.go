package reqcache

import "context"

// What the public wrappers call besides Get: the lock-free hit, and the
// methods that read or change one method's entries.

// lockFree reports whether c may answer a call from fr with an entry it
// finds without its lock: c is not nil and open (a closed cache's entries
// wait to be dropped, and no invalidation reaches them), the call is not
// made from a load (which must record its dependency under the lock), and
// no safety net is on (they see every hit). Every lock-free hit, of a
// single call or a batch, asks it first.
func (c *Cache) lockFree(fr frame) bool {
	return c != nil && fr == nil && !c.closed.Load() && c.safety == nil
}

// hit returns the entry of k in c if it answers a call without a lock
// (see lockFree) and holds a value or an error.
func (g *engine[K, V]) hit(c *Cache, fr frame, k K) *entry[K, V] {
	if !c.lockFree(fr) {
		return nil
	}
	t := g.table(c)
	if t == nil {
		return nil
	}
	e := t.find(k)
	if e == nil {
		return nil
	}
	if st := e.state.Load(); st != stateDone && (st != stateTimed || !e.x.timed.live(c.now())) {
		return nil // loading, absent, stale or expired
	}
	t.ms.hits.add()
	e.use()
	return e
}

// hitLocked counts a hit of e, a loaded entry of ms, marks it used, records
// it as a dependency of the load of fr, if not nil, and returns what the
// safety nets must do once c.mu is released. Every hit under the lock, of
// a single call or a batch, goes through it.
func (ms *mstate) hitLocked(e *entryBase, fr frame) safetyCheck {
	ms.hits.add()
	e.use()
	if fr != nil {
		fr.dependOnLocked(e)
	}
	if ms.c.safety == nil {
		return safetyCheck{}
	}
	return ms.c.safety.checkLocked(e, fr)
}

// refresh loads k without looking in the cache, and stores the result in
// place of what the cache held. Unless the method refreshes shallowly, the
// cached calls of the load skip the cache too (see refresh.go).
func (g *engine[K, V]) refresh(ctx context.Context, k K) (V, error) {
	c, fr := lookup(ctx)
	if c.Closed() || k != k {
		return g.uncached(ctx, c, fr, k)
	}
	if g.m.deepRefresh(fr) {
		ctx, fr = refreshFrom(ctx, c, fr)
		return g.get(ctx, c, fr, k)
	}
	c.mu.Lock()
	if c.closedLocked() {
		c.mu.Unlock()
		return g.call(ctx, k)
	}
	t := g.tableLocked(c)
	e := g.claimLocked(ctx, t, fr, k, t.find(k))
	c.mu.Unlock()
	return g.lead(ctx, e)
}

// peek returns the value stored for k, if the cache holds one. Called from
// a load, it records the dependency, as a hit does.
func (g *engine[K, V]) peek(ctx context.Context, k K) (V, bool) {
	var zero V
	c, fr := lookup(ctx)
	if c.Closed() {
		return zero, false
	}
	if fr == nil {
		if e := g.hit(c, nil, k); e != nil && e.err == nil {
			return e.val, true
		}
		return zero, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	t := g.table(c)
	if t == nil {
		return zero, false
	}
	e := t.find(k)
	if e == nil || !e.loaded() || e.state.Load() == stateAbsent || e.err != nil || c.invalidLocked(fr, &e.entryBase) {
		return zero, false
	}
	fr.dependOnLocked(&e.entryBase)
	return e.val, true
}

// prime stores v for k in place of what the cache held, and reports
// whether it did. The entry is complete before it is published: a
// lock-free reader finds it loaded or not at all.
func (g *engine[K, V]) prime(ctx context.Context, k K, v V) bool {
	c, fr := lookup(ctx)
	if c.Closed() || k != k {
		return false
	}
	d := g.derive(v, nil)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closedLocked() {
		return false
	}
	t := g.tableLocked(c)
	if old := t.find(k); old != nil {
		c.removeLocked(&old.entryBase, dropped)
	}
	c.makeRoomLocked()
	e := t.newEntryLocked(k)
	e.val = v
	d.applyLocked(&e.entryBase)
	if fr != nil {
		markLocked(fr, &e.entryBase) // a refresh tree uses what it primed
	}
	e.state.Store(c.settledStateLocked(&e.entryBase))
	t.publishLocked(e)
	c.linkLocked(&e.entryBase)
	if c.index != nil {
		c.indexLocked(&e.entryBase)
	}
	return true
}

// invalidateKey removes the entry of k, and the entries that depend on it,
// and returns how many it removed.
func (g *engine[K, V]) invalidateKey(ctx context.Context, k K) int {
	return g.selectKey(ctx, k, false)
}

// selectKey invalidates the entry of k, and the entries that depend on it:
// it removes them, or, if soft, marks them stale (see MarkStale). It
// returns how many it removed or marked.
func (g *engine[K, V]) selectKey(ctx context.Context, k K, soft bool) int {
	c, _ := lookup(ctx)
	describe := func() string { return g.m.name + "(" + k.format() + ")" }
	return c.invalidate(ctx, "call", describe, func() int {
		c.inv.soft = soft
		t := g.table(c)
		if t == nil {
			return 0
		}
		e := t.find(k)
		if e == nil {
			return 0
		}
		return c.selectedLocked(&e.entryBase)
	})
}

// invalidateAll removes every entry of the method, and returns how many it
// removed.
func (g *engine[K, V]) invalidateAll(ctx context.Context) int {
	c, _ := lookup(ctx)
	describe := func() string { return g.m.name + "(*)" }
	return c.invalidate(ctx, "method", describe, func() int {
		t := g.table(c)
		if t == nil {
			return 0
		}
		return c.removeAllLocked(&t.ms)
	})
}
