package reqcache

import (
	"context"
	"strings"

	"github.com/reqcache/reqcache/region"
)

// batchLoad is the frame of one call of a batch function: the cached calls
// that the function makes are dependencies of every entry it loads.
type batchLoad struct {
	context.Context
	st      *cacheState
	entries []*entryBase
}

func (bl *batchLoad) Value(key any) any {
	if key == any(cacheKey) {
		return bl
	}
	return bl.Context.Value(key)
}

func (bl *batchLoad) cache() *Cache { return bl.st.c }

func (bl *batchLoad) dependOn(in *entryBase) {
	for _, e := range bl.entries {
		e.dependOn(in)
	}
}

func (bl *batchLoad) addRefs(tags []region.Tag) {
	for _, e := range bl.entries {
		e.addRefs(tags)
	}
}

func (bl *batchLoad) owns(w *entryBase) bool {
	for _, e := range bl.entries {
		if e == w {
			return true
		}
	}
	return false
}

func (bl *batchLoad) parentContext() context.Context { return bl.Context }

// load calls the batch function once for the keys r claimed and the keys r
// could not store, settles the claimed entries with the outcome, and adds
// the values to out. Panics and runtime.Goexit are handled as by
// engine.lead.
func (b *Batch[K, V]) load(ctx context.Context, st *cacheState, fr frame, r *batchRound[K, V], out map[K]V) error {
	if len(r.mine) == 0 && len(r.rejected) == 0 {
		return nil
	}
	keys := make([]K, 0, len(r.mine)+len(r.rejected))
	loadCtx := ctx
	if len(r.mine) > 0 {
		bl := &batchLoad{Context: ctx, st: st, entries: make([]*entryBase, len(r.mine))}
		for i, e := range r.mine {
			keys = append(keys, e.key.a)
			bl.entries[i] = &e.entryBase
		}
		loadCtx = bl
	}
	keys = append(keys, r.rejected...)
	if len(r.mine) > 0 {
		e := &r.mine[0].entryBase
		if end := observe(st.c, ctx, e, len(keys), func() string { return formatKeys(keys) }); end != nil {
			loadCtx.(*batchLoad).Context = e.parent
			e.parent = ctx
			defer func() {
				r := LoadResult{Err: e.err, Stored: !e.removed && e.err == nil}
				if e.x != nil {
					r.Exited = e.x.goexit
					if p := e.x.panicked; p != nil {
						r.Panicked, r.Err = true, p
					}
				}
				end(r)
			}()
		}
	}

	var (
		m                 map[K]V
		err               error
		ds                []derived
		normal, recovered bool
		pe                *PanicError
	)
	defer func() {
		if !normal && !recovered {
			for _, e := range r.mine {
				st.settleAbnormal(&e.entryBase, nil)
			}
		}
	}()
	func() {
		defer func() {
			if !normal {
				if v := recover(); v != nil {
					pe = newPanicError(v)
				}
			}
		}()
		m, err = b.fn(loadCtx, keys)
		ds = b.derive(r.mine, m, err)
		normal = true
	}()
	if !normal {
		recovered = true
		for _, e := range r.mine {
			st.settleAbnormal(&e.entryBase, pe)
		}
		panic(pe.Value)
	}
	b.settle(ctx, st, fr, r, m, err, ds)
	if err != nil {
		return err
	}
	for k, v := range m {
		out[k] = v
	}
	return nil
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

// settle ends the loads of the claimed entries.
func (b *Batch[K, V]) settle(ctx context.Context, st *cacheState, fr frame, r *batchRound[K, V], m map[K]V, err error, ds []derived) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if err != nil && len(r.mine) > 0 {
		r.mine[0].ms.errors++
	}
	for i, e := range r.mine {
		if err != nil {
			e.err = err
			e.failedFor(ctx, err)
		} else if v, ok := m[e.key.a]; ok {
			e.val = v
		} else {
			e.absent = true
		}
		ds[i].apply(&e.entryBase)
		st.settle(&e.entryBase, ds[i].keep)
	}
}

// formatKeys formats the keys of a batch load, as in `1, 2, 3`.
func formatKeys[K comparable](keys []K) string {
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(formatArg(k))
	}
	return b.String()
}
