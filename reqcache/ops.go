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
	c.mu.Lock()
	if c.closed.Load() {
		c.mu.Unlock()
		return g.call(ctx, k)
	}
	if old, ok := g.store.GetIfPresent(k); ok {
		c.remove(&old.entryBase, false)
	}
	if c.full() {
		return g.reject(ctx, c, fr, k)
	}
	fresh := g.allocEntry(c.state(g.m), ctx, k)
	g.store.Set(k, fresh)
	g.claim(c, fresh)
	c.mu.Unlock()
	return g.lead(ctx, c, fr, fresh)
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

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed.Load() {
		return false
	}
	if old, ok := g.store.GetIfPresent(k); ok {
		c.remove(&old.entryBase, false)
	}
	s := c.state(g.m)
	if c.full() {
		s.rejected++
		return false
	}
	g.store.Set(k, e)
	c.link(s, &e.entryBase)
	if c.indexed {
		c.index(&e.entryBase)
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
	return c.invalidating(describe, func() int {
		n := 0
		for _, k := range keys {
			if e, ok := g.store.GetIfPresent(g.keys.withSeq(k, seq)); ok {
				n += c.remove(&e.entryBase, true)
			}
		}
		return n
	})
}

// clear removes every entry of the method, and returns how many it removed.
func (g *engine[K, V]) clear(ctx context.Context) int {
	c, _ := lookup(ctx)
	if c.Closed() {
		return 0
	}
	return c.invalidating(func() string { return g.m.name + "(*)" }, func() int {
		if s := c.existingState(g.m); s != nil {
			return c.removeAllOf(s)
		}
		return 0
	})
}
