package reqcache

import (
	"context"

	"github.com/reqcache/reqcache/region"
)

// Soft invalidation, Drupal's "invalidate" beside its "delete": a write can
// mark entries stale instead of removing them. A stale entry is absent for
// Get, which loads it again, but GetStale, for callers to whom slightly old
// data is still useful, answers with its value while another call reloads
// it, instead of waiting for that load.
//
// A stale entry stays stored, indexed and linked to the entries it used
// and those that used it, so that a hard invalidation still finds it. The
// call that reloads it takes it out of the cache and keeps it beside its
// load (extra.prior) until the load ends: its dependents, stale too, then
// depend on the load.

// MarkStale marks stale, in the cache ctx carries, the entries that the
// targets select, and the entries that depend on them, in one step, and
// returns how many it marked. The targets select what they select for
// Invalidate: exact calls are marked by the methods' MarkStale.
//
// A stale entry is absent for Get, Peek and batch methods, which load it
// again, while GetStale answers with its value as long as another call is
// reloading it. A load under way that a target may select is stored stale
// when it ends: its callers get its result, and calls of Get that start
// after MarkStale load again.
//
// Choose Invalidate when the data refers to something deleted, or when a
// caller must never see the old value; choose MarkStale when slightly old
// data is still useful, so that the callers that accept it do not all wait
// for one reload (Drupal's rule for delete and invalidate).
//
// Inside a transaction (see Begin), MarkStale applies at once and again,
// as MarkStale, when the transaction commits. It checks every target
// before it marks anything, and returns an error for a zero or malformed
// target. Without a cache in ctx, or with a closed one, it does nothing.
func MarkStale(ctx context.Context, targets ...region.Target) (int, error) {
	for _, t := range targets {
		if err := validate(t); err != nil {
			return 0, err
		}
	}
	c, _ := lookup(ctx)
	return c.invalidate(ctx, targetsKind(targets), func() string { return describeTargets(targets) }, func() int {
		c.inv.soft = true
		n := 0
		for _, t := range targets {
			n += c.removeTargetLocked(t)
		}
		return n
	}), nil
}

// selectedLocked removes e, which the invalidation under way selected, or,
// in a soft one, marks it stale; with the entries that depend on it.
func (c *Cache) selectedLocked(e *entryBase) int {
	if c.inv != nil && c.inv.soft {
		return c.markStaleLocked(e, invalidated)
	}
	return c.removeLocked(e, invalidated)
}

// markStaleLocked marks e stale, and the entries that depend on it, and
// returns how many it marked. why is invalidated or expired. A load under
// way is removed instead, as a hard invalidation removes it: its result
// must not be stored as fresh, and calls that start now must not wait for
// it. Marking changes no list; the caller may walk one of loaded entries.
func (c *Cache) markStaleLocked(e *entryBase, why removal) int {
	switch {
	case e.removed || e.state.Load() == stateStale: // and so are its dependents
		return 0
	case !e.loaded():
		return c.removeLocked(e, why)
	}
	e.state.Store(stateStale)
	c.countLocked(e, why)
	n := 1
	var buf [4]*entryBase
	for _, d := range e.dependentsLocked(buf[:0]) {
		n += c.markStaleLocked(d, why)
	}
	return n
}

// dependentsLocked appends to buf the entries that depend on e, so that
// removing them does not disturb the walk.
func (e *entryBase) dependentsLocked(buf []*entryBase) []*entryBase {
	if e.x == nil {
		return buf
	}
	for d := e.x.dependents; d != nil; d = d.dnext {
		buf = append(buf, d.outer)
	}
	return buf
}

// markAllStaleLocked marks every entry of ms stale, and removes its loads
// under way. Marking a loaded entry never removes it, so the walk can go on
// from it.
func (c *Cache) markAllStaleLocked(ms *mstate) int {
	n := 0
	for e := ms.head; e != nil; e = e.mnext {
		if e.loaded() {
			n += c.markStaleLocked(e, invalidated)
		}
	}
	for _, e := range c.inflight { // removeLocked leaves c.inflight as it is
		if e.ms == ms {
			n += c.removeLocked(e, invalidated)
		}
	}
	return n
}

// invalidLocked reports whether e, a stored entry found for a call from
// fr (nil outside a load), must be loaded again: it is stale; it has
// expired, which marks it stale now; or fr belongs to a refresh tree that
// did not load it. A timed entry that has not expired counts as used.
func (c *Cache) invalidLocked(fr frame, e *entryBase) bool {
	switch e.state.Load() {
	case stateStale:
		return true
	case stateTimed:
		if !e.x.timed.live(c.now()) {
			c.markStaleLocked(e, expired)
			return true
		}
	}
	return fr != nil && staleForLocked(fr, e)
}

// replaceStaleLocked takes prior, a stale entry, out of the cache for e,
// the load just claimed that replaces it: e keeps prior for GetStale until
// its load ends, and prior's dependents, all stale, depend on e from now
// on, so that removing e removes them as removing prior would have.
func (c *Cache) replaceStaleLocked(prior, e *entryBase) {
	var deps *dep
	if prior.x != nil {
		deps, prior.x.dependents = prior.x.dependents, nil
	}
	c.removeLocked(prior, reloaded)
	x := e.more()
	x.prior = prior
	for d := deps; d != nil; d = d.dnext {
		d.inner = e
	}
	x.dependents = deps
}

// getStale is GetStale: a hit, or the stale value of a reload under way,
// or what get returns.
func (g *engine[K, V]) getStale(ctx context.Context, k K) (V, bool, error) {
	c, fr := lookup(ctx)
	if e := g.hit(c, fr, k); e != nil {
		return e.val, true, e.err
	}
	if fr == nil && !c.Closed() && k == k {
		if v, ok := g.stale(c, k); ok {
			return v, false, nil
		}
	}
	v, err := g.get(ctx, c, fr, k)
	return v, true, err
}

// stale returns the stale value of k, if another call is reloading it and
// the entry it replaces holds a value.
func (g *engine[K, V]) stale(c *Cache, k K) (V, bool) {
	var zero V
	c.mu.Lock()
	defer c.mu.Unlock()
	t := g.table(c)
	if t == nil || c.closedLocked() {
		return zero, false
	}
	e := t.find(k)
	if e == nil || e.loaded() || e.x == nil || e.x.prior == nil {
		return zero, false
	}
	p := e.x.prior.self.(*entry[K, V])
	if p.err != nil || (p.x != nil && p.x.absent) {
		return zero, false
	}
	t.ms.rareLocked().served++
	return p.val, true
}

// markStaleKey marks the entry of k stale, and the entries that depend on
// it, and returns how many it marked.
func (g *engine[K, V]) markStaleKey(ctx context.Context, k K) int {
	return g.selectKey(ctx, k, true)
}

// GetStale is Get for a caller to whom slightly old data is still useful.
// It returns what Get returns, with fresh true, except while another call
// of the cache reloads an entry that is stale (see MarkStale) or expired
// (see MaxAge): it then returns that entry's value at once, with fresh
// false, instead of waiting for the load. Once the load ends, GetStale
// returns its result.
//
// If no call is reloading the entry, GetStale reloads it itself, on the
// caller's goroutine, as Get does, while the callers that come meanwhile
// get the stale value: someone must refresh, and the cache starts no
// goroutine of its own, whose load would outlive its caller's context.
// A stale error is never returned: GetStale waits for the load then.
// Called from inside a cached function, GetStale is Get, since what the
// function returns is stored and handed to other callers as fresh.
func (f *Func1[A, V]) GetStale(ctx context.Context, a A) (v V, fresh bool, err error) {
	if f.ka != nil {
		a = f.ka(a)
	}
	return f.g.getStale(ctx, key1[A]{a})
}

// MarkStale marks the cached call with argument a stale, and the entries
// that depend on it, and returns how many it marked (see MarkStale).
func (f *Func1[A, V]) MarkStale(ctx context.Context, a A) int {
	if f.ka != nil {
		a = f.ka(a)
	}
	return f.g.markStaleKey(ctx, key1[A]{a})
}

// GetStale returns fn(ctx) as Func1.GetStale does.
func (f *Func0[V]) GetStale(ctx context.Context) (v V, fresh bool, err error) {
	return f.g.getStale(ctx, key0{})
}

// MarkStale marks the cached call stale, as Func1.MarkStale does.
func (f *Func0[V]) MarkStale(ctx context.Context) int { return f.g.markStaleKey(ctx, key0{}) }

// GetStale returns fn(ctx, a, b) as Func1.GetStale does.
func (f *Func2[A, B, V]) GetStale(ctx context.Context, a A, b B) (v V, fresh bool, err error) {
	return f.g.getStale(ctx, f.key(a, b))
}

// MarkStale marks the cached call with arguments a and b stale, as
// Func1.MarkStale does.
func (f *Func2[A, B, V]) MarkStale(ctx context.Context, a A, b B) int {
	return f.g.markStaleKey(ctx, f.key(a, b))
}

// GetStale returns fn(ctx, a, b, c) as Func1.GetStale does.
func (f *Func3[A, B, C, V]) GetStale(ctx context.Context, a A, b B, c C) (v V, fresh bool, err error) {
	return f.g.getStale(ctx, f.key(a, b, c))
}

// MarkStale marks the cached call with arguments a, b and c stale, as
// Func1.MarkStale does.
func (f *Func3[A, B, C, V]) MarkStale(ctx context.Context, a A, b B, c C) int {
	return f.g.markStaleKey(ctx, f.key(a, b, c))
}
