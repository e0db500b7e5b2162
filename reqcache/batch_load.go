package reqcache

import (
	"context"
	"strings"
)

// A batchFrame is the frame of one call of a batch function: the cached
// calls that the function makes are dependencies of every entry it loads.
type batchFrame struct {
	context.Context // the context of the call that runs the function
	c               *Cache
	entries         []*entryBase
	callers         []context.Context // the other calls it serves, for Load.Callers
}

func (bf *batchFrame) Value(key any) any {
	if key == any(cacheKey) {
		return bf
	}
	return bf.Context.Value(key)
}

func (bf *batchFrame) cache() *Cache                  { return bf.c }
func (bf *batchFrame) parentContext() context.Context { return bf.Context }

func (bf *batchFrame) dependOnLocked(in *entryBase) {
	for _, e := range bf.entries {
		e.dependOnLocked(in)
	}
}

func (bf *batchFrame) addRefsLocked(refs []refKey) {
	for _, e := range bf.entries {
		e.addRefsLocked(refs)
	}
}

func (bf *batchFrame) owns(w *entryBase) bool {
	for _, e := range bf.entries {
		if e == w {
			return true
		}
	}
	return false
}

func (bf *batchFrame) String() string {
	parts := make([]string, len(bf.entries))
	for i, e := range bf.entries {
		parts[i] = e.self.String()
	}
	return "batch of " + strings.Join(parts, ", ")
}

// A batchRound is what one pass of Batch.round found for its keys.
type batchRound[K comparable, V any] struct {
	mine     []*entry[key1[K], V] // claimed: this goroutine loads them
	frame    *batchFrame          // the frame of their load
	waits    []*entry[key1[K], V] // loading elsewhere
	uncached []K                  // loaded, never stored: a closed cache, or a NaN
	checks   []checkedHit[K, V]   // hits the safety nets check after the lock
}

// A checkedHit is a hit of a batch and what the safety nets must do for it.
type checkedHit[K comparable, V any] struct {
	e   *entry[key1[K], V]
	chk safetyCheck
}

// round looks up todo with c.mu held, loads what no one loads, waits for
// the rest, and fills out. It returns the keys to look up again: those
// whose load failed for another caller's context, or ended by
// runtime.Goexit.
func (b *Batch[K, V]) round(ctx context.Context, c *Cache, fr frame, todo []K, out map[K]V) ([]K, error) {
	r, err := b.lookupLocked(ctx, c, fr, todo, out)
	for _, h := range r.checks {
		b.g.verify(ctx, h.e, h.chk)
	}
	if err != nil {
		return nil, err
	}
	if err := b.load(ctx, c, &r, out); err != nil {
		return nil, err
	}
	return b.await(ctx, c, fr, r.waits, out)
}

// lookupLocked sorts todo into r under c.mu: hits go to out, keys no one
// loads are claimed, loads under way are waited for. On a cycle of loads
// it claims nothing and returns the cycle's error.
func (b *Batch[K, V]) lookupLocked(ctx context.Context, c *Cache, fr frame, todo []K, out map[K]V) (r batchRound[K, V], err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closedLocked() {
		r.uncached = todo
		return r, nil
	}
	t := b.g.tableLocked(c)
	for _, k := range dedup(todo) {
		if k != k {
			r.uncached = append(r.uncached, k)
			if fr != nil {
				fr.dependOnLocked(nil)
			}
			continue
		}
		e := t.find(key1[K]{k})
		switch {
		case e == nil || c.invalidLocked(fr, &e.entryBase): // none, stale, expired, or older than a deep Refresh
			r.mine = append(r.mine, b.g.claimLocked(ctx, t, fr, key1[K]{k}, e))
		case e.loaded():
			if chk := t.ms.hitLocked(&e.entryBase, fr); chk.needed() {
				r.checks = append(r.checks, checkedHit[K, V]{e, chk})
			}
			if e.err != nil && err == nil {
				err = e.err // a stored error, as a single call returns it
			}
			take(e, out)
		default:
			_, werr := c.waitLocked(fr, &e.entryBase)
			if werr != nil {
				err = werr
				break
			}
			r.waits = append(r.waits, e)
		}
	}
	if err != nil {
		r.abandonLocked(c, fr)
		return batchRound[K, V]{checks: r.checks}, err
	}
	if len(r.mine) > 0 {
		r.frame = &batchFrame{Context: ctx, c: c, entries: make([]*entryBase, len(r.mine))}
		for i, e := range r.mine {
			r.frame.entries[i] = &e.entryBase
			e.more().owner = r.frame
		}
	}
	return r, nil
}

// dedup returns ks without repeated keys, in order.
func dedup[K comparable](ks []K) []K {
	if len(ks) < 2 {
		return ks
	}
	seen := make(map[K]struct{}, len(ks))
	out := ks[:0:0]
	for _, k := range ks {
		if _, ok := seen[k]; !ok || k != k {
			seen[k] = struct{}{}
			out = append(out, k)
		}
	}
	return out
}

// abandonLocked gives up the round: it settles the entries it claimed,
// so that their waiters load them again, and leaves its waits.
func (r *batchRound[K, V]) abandonLocked(c *Cache, fr frame) {
	for _, e := range r.mine {
		e.more().goexit = true
		c.settleLocked(&e.entryBase, false)
	}
	if fr != nil {
		for _, e := range r.waits {
			c.dropWaitLocked(fr, &e.entryBase)
		}
	}
}

// load calls the batch function once for the keys r claimed and the keys
// r cannot store, settles the claimed entries with the outcome, and adds
// the values to out.
func (b *Batch[K, V]) load(ctx context.Context, c *Cache, r *batchRound[K, V], out map[K]V) error {
	keys := make([]K, 0, len(r.mine)+len(r.uncached))
	for _, e := range r.mine {
		keys = append(keys, e.key.a)
	}
	keys = append(keys, r.uncached...)
	if len(keys) == 0 {
		return nil
	}
	var (
		m   map[K]V
		err error
	)
	if len(r.mine) == 0 {
		m, err = b.fn(ctx, keys)
	} else {
		m, err = b.loadClaimed(ctx, c, r.frame, r.mine, keys)
	}
	if err != nil {
		return err
	}
	for _, k := range keys {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	return nil
}

// loadClaimed calls the batch function once for keys, from fr, the frame
// of mine, the entries the call with ctx claimed, and settles them with the
// outcome, which it returns. A panic of the function reaches the calls
// waiting for mine, and goes on here.
func (b *Batch[K, V]) loadClaimed(ctx context.Context, c *Cache, fr *batchFrame, mine []*entry[key1[K], V], keys []K) (map[K]V, error) {
	var (
		m   map[K]V
		err error
		ds  []derived
	)
	if pe := c.run(fr, fr.entries, func() {
		m, err = b.fn(fr, keys)
		ds = b.derive(mine, m, err)
	}); pe != nil {
		panic(pe.Value)
	}
	b.settle(ctx, c, mine, m, err, ds)
	c.endLoad(fr.entries[0], LoadResult{Err: err})
	return m, err
}

// derive computes what each claimed entry takes from the outcome.
func (b *Batch[K, V]) derive(mine []*entry[key1[K], V], m map[K]V, err error) []derived {
	ds := make([]derived, len(mine))
	for i, e := range mine {
		if err != nil {
			ds[i] = b.g.derive(e.val, err)
		} else if v, ok := m[e.key.a]; ok {
			ds[i] = b.g.derive(v, nil)
		} else {
			ds[i] = derived{keep: true}
		}
	}
	return ds
}

// settle ends the loads of the claimed entries: one call of the function.
func (b *Batch[K, V]) settle(ctx context.Context, c *Cache, mine []*entry[key1[K], V], m map[K]V, err error, ds []derived) {
	c.mu.Lock()
	defer c.mu.Unlock()
	mine[0].ms.loads++
	if err != nil {
		mine[0].ms.errors++
	}
	for i, e := range mine {
		if err != nil {
			e.err = err
			e.failedForLocked(ctx, err)
		} else if v, ok := m[e.key.a]; ok {
			e.val = v
		} else {
			e.more().absent = true
		}
		ds[i].applyLocked(&e.entryBase)
		c.settleLocked(&e.entryBase, ds[i].keep)
	}
}

// await waits for the loads of waits, and returns the keys to load again.
func (b *Batch[K, V]) await(ctx context.Context, c *Cache, fr frame, waits []*entry[key1[K], V], out map[K]V) ([]K, error) {
	var again []K
	for i, e := range waits {
		if err := c.await(ctx, fr, &e.entryBase, e.x.done); err != nil {
			if fr != nil {
				c.mu.Lock()
				for _, w := range waits[i+1:] {
					c.dropWaitLocked(fr, &w.entryBase)
				}
				c.mu.Unlock()
			}
			return nil, err
		}
		switch {
		case e.retry(ctx):
			again = append(again, e.key.a)
		case e.err != nil:
			return nil, e.err
		default:
			take(e, out)
		}
	}
	return again, nil
}
