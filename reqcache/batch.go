package reqcache

import (
	"context"
	"errors"
	"reflect"

	"github.com/reqcache/reqcache/region"
)

// ErrNotFound is returned by Batch.GetOne for a key that the batch function
// returned no value for.
var ErrNotFound = errors.New("reqcache: not found")

// Batch is a cached batch method, such as GetCustomersByIDs: a function of
// many IDs of its region that returns a value per ID it finds. The cache
// keeps an entry per ID, whose unique ID is the key, and loads only the IDs
// it does not hold. An ID the function returned no value for is stored as
// absent, and not loaded again. Make one with CacheBatch.
type Batch[K comparable, V any] struct {
	g  *engine[key1[K], V]
	fn func(context.Context, []K) (map[K]V, error)
}

// CacheBatch wraps fn, a batch method of region r, in a cached batch method.
// It panics if the declaration is wrong, as Cache1 does.
func CacheBatch[T any, K comparable, V any](r *region.Region[T, K], fn func(context.Context, []K) (map[K]V, error), opts ...Option) *Batch[K, V] {
	d := declaration{region: r.Info(), fn: fn, argTypes: []reflect.Type{reflect.TypeFor[K]()}}
	b := &Batch[K, V]{fn: fn}
	b.g = newEngine(d, opts, b.callOne, keyFuncs[key1[K]]{
		withSeq: func(k key1[K], seq uint64) key1[K] { k.seq = seq; return k },
		arg:     func(k key1[K], _ int) any { return k.a },
		argIs:   func(k key1[K], _ int, v any) bool { return is(k.a, v) },
		format:  func(k key1[K]) string { return formatArg(k.a) },
		fromArgs: func(seq uint64, args []any) (key1[K], bool) {
			k, ok := args[0].(K)
			return key1[K]{seq, k}, ok
		},
	})
	b.g.m.idArgs = []int{0} // the key is the entry's ID
	return b
}

func (b *Batch[K, V]) callOne(ctx context.Context, k key1[K]) (V, error) {
	m, err := b.fn(ctx, []K{k.a})
	v, ok := m[k.a]
	if err == nil && !ok {
		err = ErrNotFound
	}
	return v, err
}

// Get returns the values of keys that fn finds, from the cache ctx carries
// for the keys it holds, and from one call of fn for the others. Keys that
// other goroutines of the cache are loading are waited for, not loaded
// again. The returned map holds no entry for a key fn returned no value
// for. If fn fails, Get returns its error, and stores nothing of that call.
// Without a cache in ctx, or with a closed one, Get is fn(ctx, keys).
func (b *Batch[K, V]) Get(ctx context.Context, keys []K) (map[K]V, error) {
	c, fr := lookup(ctx)
	if c.Closed() {
		return b.fn(ctx, keys)
	}
	seq := c.key()
	out := make(map[K]V, len(keys))
	var todo []K
	for _, k := range keys {
		e, ok := b.g.store.GetIfPresent(key1[K]{seq, k})
		if ok && fr == nil && e.state.Load() == stateDone {
			e.ms.hits.Add(1)
			if !e.absent {
				out[k] = e.val
			}
			continue
		}
		todo = append(todo, k)
	}
	for len(todo) > 0 {
		var err error
		if todo, err = b.getSlow(ctx, c.state(), fr, seq, todo, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// GetOne returns the value of one key, as Get does, or ErrNotFound.
func (b *Batch[K, V]) GetOne(ctx context.Context, key K) (V, error) {
	m, err := b.Get(ctx, []K{key})
	v, ok := m[key]
	if err == nil && !ok {
		err = ErrNotFound
	}
	return v, err
}

// batchRound is what one pass of getSlow found for its keys.
type batchRound[K comparable, V any] struct {
	mine     []*entry[key1[K], V] // claimed: this goroutine loads them
	waits    []*entry[key1[K], V] // loading elsewhere
	rejected []K                  // loaded, not stored: the cache is full
}

// getSlow looks up todo with st.mu held, loads what no one loads, waits for
// the rest, and fills out. It returns the keys to look up again: those whose
// load failed for another caller's context, or ended by runtime.Goexit.
func (b *Batch[K, V]) getSlow(ctx context.Context, st *cacheState, fr frame, seq uint64, todo []K, out map[K]V) ([]K, error) {
	var r batchRound[K, V]
	st.mu.Lock()
	if st.closed() {
		st.mu.Unlock()
		r.rejected = todo
		return nil, b.load(ctx, st, fr, &r, out)
	}
	s := st.method(b.g.m)
	seen := make(map[K]struct{}, len(todo))
	for _, k := range todo {
		if _, dup := seen[k]; dup {
			continue
		}
		seen[k] = struct{}{}
		kk := key1[K]{seq, k}
		e, ok := b.g.store.GetIfPresent(kk)
		switch {
		case ok && e.state.Load() == stateDone:
			s.hits.Add(1)
			b.take(e, out)
		case ok:
			e.wait()
			s.misses++
			r.waits = append(r.waits, e)
		case st.full():
			s.misses++
			s.loads++
			s.rejected++
			r.rejected = append(r.rejected, k)
			e = nil
		default:
			e = b.g.allocEntry(s, ctx, kk)
			b.g.store.Set(kk, e)
			st.link(s, &e.entryBase)
			st.inflightAdd(&e.entryBase)
			s.misses++
			s.loads++
			r.mine = append(r.mine, e)
		}
		if fr != nil {
			// Recorded now, not when the value arrives: an invalidation
			// of e while it loads must reach the frame's entries too.
			var in *entryBase // nil: a result that is not stored
			if e != nil {
				in = &e.entryBase
			}
			fr.dependOn(in)
		}
	}
	st.mu.Unlock()
	if err := b.load(ctx, st, fr, &r, out); err != nil {
		return nil, err
	}
	return b.await(ctx, st, fr, r.waits, out)
}

// take adds a loaded entry to out.
func (b *Batch[K, V]) take(e *entry[key1[K], V], out map[K]V) {
	if !e.absent {
		out[e.key.a] = e.val
	}
}

// await waits for the loads of waits, and returns the keys to load again.
func (b *Batch[K, V]) await(ctx context.Context, st *cacheState, fr frame, waits []*entry[key1[K], V], out map[K]V) ([]K, error) {
	var again []K
	for _, e := range waits {
		st.mu.Lock()
		done := e.wait()
		st.mu.Unlock()
		if err := awaitLoad(ctx, done); err != nil {
			return nil, err
		}
		switch {
		case e.retry(ctx):
			again = append(again, e.key.a)
		case e.x != nil && e.x.panicked != nil:
			panic(e.x.panicked)
		case e.err != nil:
			return nil, e.err
		default:
			b.take(e, out)
		}
	}
	return again, nil
}

// Invalidate removes the entries of keys, and the entries that depend on
// them, and returns how many it removed.
func (b *Batch[K, V]) Invalidate(ctx context.Context, keys ...K) int {
	ks := make([]key1[K], len(keys))
	for i, k := range keys {
		ks[i] = key1[K]{a: k}
	}
	return b.g.invalidate(ctx, ks...)
}

// Refresh loads keys as Get does, without looking in the cache, and stores
// the results in place of what the cache held.
func (b *Batch[K, V]) Refresh(ctx context.Context, keys []K) (map[K]V, error) {
	if c, _ := lookup(ctx); !c.Closed() {
		seq, st := c.key(), c.state()
		st.mu.Lock()
		for _, k := range keys {
			if e, ok := b.g.store.GetIfPresent(key1[K]{seq, k}); ok && !st.closed() {
				st.remove(&e.entryBase, false)
			}
		}
		st.mu.Unlock()
	}
	return b.Get(ctx, keys)
}

// Peek returns the value the cache holds for key, without loading it.
func (b *Batch[K, V]) Peek(ctx context.Context, key K) (V, bool) {
	return b.g.peek(ctx, key1[K]{a: key})
}

// Prime stores v as the value of key, and reports whether it did.
func (b *Batch[K, V]) Prime(ctx context.Context, key K, v V) bool {
	return b.g.prime(ctx, key1[K]{a: key}, v)
}

// Clear removes every entry of the method, and returns how many it removed.
func (b *Batch[K, V]) Clear(ctx context.Context) int { return b.g.clear(ctx) }

// Name returns the method's name, as used in stats, logs and errors.
func (b *Batch[K, V]) Name() string { return b.g.m.name }
