package reqcache

import (
	"context"
	"strings"
)

// refresh loads k without looking in the cache, and stores the result in
// place of what the cache held.
func (g *engine[K, V]) refresh(ctx context.Context, k K) (V, error) {
	c, fr := lookup(ctx)
	if c.Closed() {
		return g.call(ctx, k)
	}
	k = g.keys.withSeq(k, c.key())
	st := c.state()
	st.mu.Lock()
	if st.closed() {
		st.mu.Unlock()
		return g.call(ctx, k)
	}
	if old, ok := g.store.GetIfPresent(k); ok {
		st.remove(&old.entryBase, false)
	}
	_, fresh := g.claim(ctx, st, fr, k) // nothing to find: the key was just removed
	if fresh == nil {
		return g.reject(ctx, st, fr, k)
	}
	st.mu.Unlock()
	return g.lead(ctx, st, fresh)
}

// peek returns the value stored for k, if the cache holds one.
func (g *engine[K, V]) peek(ctx context.Context, k K) (V, bool) {
	var zero V
	c, _ := lookup(ctx)
	if c.Closed() {
		return zero, false
	}
	e, ok := g.store.GetIfPresent(g.keys.withSeq(k, c.key()))
	if !ok || e.state.Load() != stateDone || e.err != nil || e.absent {
		return zero, false
	}
	return e.val, true
}

// prime stores v for k in place of what the cache held, and reports
// whether it did.
func (g *engine[K, V]) prime(ctx context.Context, k K, v V) bool {
	c, _ := lookup(ctx)
	if c.Closed() {
		return false
	}
	k = g.keys.withSeq(k, c.key())
	d := g.derive(v, nil)
	e := g.newEntry(ctx, k)
	e.val = v
	d.apply(&e.entryBase)
	e.state.Store(stateDone)

	st := c.state()
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed() {
		return false
	}
	if old, ok := g.store.GetIfPresent(k); ok {
		st.remove(&old.entryBase, false)
	}
	s := st.method(g.m)
	if st.full() {
		s.rejected++
		return false
	}
	g.store.Set(k, e)
	st.link(s, &e.entryBase)
	if st.refs != nil {
		st.index(&e.entryBase)
	}
	return true
}

// invalidate removes the entries of keys, and the entries that depend on
// them, and returns how many it removed.
func (g *engine[K, V]) invalidate(ctx context.Context, keys ...K) int {
	c, _ := lookup(ctx)
	if c.Closed() {
		return 0
	}
	seq := c.key()
	describe := func() string {
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = g.m.name + "(" + g.keys.format(k) + ")"
		}
		return strings.Join(parts, ", ")
	}
	st := c.used()
	if st == nil || !st.begin() {
		c.observeInvalidation("call", describe)
		return 0
	}
	st.kind = "call"
	n := 0
	for _, k := range keys {
		if e, ok := g.store.GetIfPresent(g.keys.withSeq(k, seq)); ok {
			n += st.remove(&e.entryBase, true)
		}
	}
	st.end(describe)
	return n
}

// clear removes every entry of the method, and returns how many it removed.
func (g *engine[K, V]) clear(ctx context.Context) int {
	c, _ := lookup(ctx)
	if c.Closed() {
		return 0
	}
	describe := func() string { return g.m.name + "(*)" }
	st := c.used()
	if st == nil || !st.begin() {
		c.observeInvalidation("method", describe)
		return 0
	}
	st.kind = "method"
	n := 0
	if s := st.existingMethod(g.m); s != nil {
		n = st.removeAllOf(s)
	}
	st.end(describe)
	return n
}
