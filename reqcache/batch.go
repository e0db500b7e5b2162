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
// many keys that returns a value per key it finds. The cache keeps an entry
// per key, whose unique ID is the key, and calls the function only for the
// keys it does not hold. A key the function returned no value for is stored
// as absent, and not loaded again. Make one with CacheBatch, or with
// Func1.Batch to share the entries of a single-key method.
type Batch[K comparable, V any] struct {
	g  *engine[key1[K], V]
	fn func(context.Context, []K) (map[K]V, error)
	ka func(K) K // the key parameter's key function, or nil
	co *Coalescing
}

// CacheBatch wraps fn, a batch method of region r whose keys are IDs of r,
// in a cached batch method. Declare the keys' parameter with KeyParam, so
// that an invalidation by it removes one key's entry. It panics if the
// declaration is wrong, as Cache1 does.
func CacheBatch[T any, K comparable, V any](r *region.Region[T, K], fn func(context.Context, []K) (map[K]V, error), opts ...Option) *Batch[K, V] {
	d := declaration{region: r.Info(), fn: fn, argTypes: []reflect.Type{reflect.TypeFor[K]()}, batch: true}
	b := &Batch[K, V]{fn: fn}
	b.g = newEngine(d, opts, func(ctx context.Context, k key1[K]) (V, error) {
		return getOne(b.fn, ctx, k.a)
	})
	b.g.m.idArgs = []int{0} // the key is the entry's ID
	b.co = b.g.m.coalesce
	return b
}

// Get returns the values of keys that fn finds, from the cache ctx carries
// for the keys it holds, and from one call of fn for the others. Keys that
// other goroutines of the cache are loading are waited for, not loaded
// again. The returned map holds no entry for a key fn returned no value
// for. If fn fails, Get returns its error, and stores nothing of that call.
// Without a cache in ctx, or with a closed one, Get is fn(ctx, keys).
func (b *Batch[K, V]) Get(ctx context.Context, keys []K) (map[K]V, error) {
	keys = b.keys(keys)
	c, fr := lookup(ctx)
	if c.Closed() {
		return b.fn(ctx, keys)
	}
	out := make(map[K]V, len(keys))
	todo := keys
	if c.lockFree(fr) {
		if t := b.g.table(c); t != nil {
			todo = b.hits(t, keys, out)
		}
	}
	for len(todo) > 0 {
		var err error
		if todo, err = b.round(ctx, c, fr, todo, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// GetOne returns the value of one key, as Get does, or ErrNotFound. With
// Coalesce, the GetOne calls of a Cache's goroutines gather into batches.
func (b *Batch[K, V]) GetOne(ctx context.Context, key K) (V, error) {
	if b.co != nil {
		e, err, plain := b.gathered(ctx, b.key(key))
		if e != nil {
			return outcomeOf(e)
		}
		if !plain {
			var zero V
			return zero, err
		}
	}
	return getOne(b.Get, ctx, key)
}

// getOne returns the value of key from get, a batch function, or
// ErrNotFound.
func getOne[K comparable, V any](get func(context.Context, []K) (map[K]V, error), ctx context.Context, key K) (V, error) {
	m, err := get(ctx, []K{key})
	v, ok := m[key]
	if err == nil && !ok {
		err = ErrNotFound
	}
	return v, err
}

// Invalidate removes the entries of keys, and the entries that depend on
// them, and returns how many it removed.
func (b *Batch[K, V]) Invalidate(ctx context.Context, keys []K) int {
	n := 0
	for _, k := range b.keys(keys) {
		n += b.g.invalidateKey(ctx, key1[K]{k})
	}
	return n
}

// Refresh loads keys as Get does, without looking in the cache, and stores
// the results in place of what the cache held. As Func1.Refresh does, it
// makes the cached calls of the batch function skip the cache too, unless
// the method was made with ShallowRefresh.
func (b *Batch[K, V]) Refresh(ctx context.Context, keys []K) (map[K]V, error) {
	keys = b.keys(keys)
	if c, fr := lookup(ctx); !c.Closed() && b.g.m.deepRefresh(fr) {
		ctx, _ = refreshFrom(ctx, c, fr)
		return b.Get(ctx, keys)
	} else if !c.Closed() {
		c.mu.Lock()
		if t := b.g.table(c); t != nil && !c.closedLocked() {
			for _, k := range keys {
				if e := t.find(key1[K]{k}); e != nil {
					c.removeLocked(&e.entryBase, dropped)
				}
			}
		}
		c.mu.Unlock()
	}
	return b.Get(ctx, keys)
}

// Peek returns the value the cache holds for key, without loading it.
func (b *Batch[K, V]) Peek(ctx context.Context, key K) (V, bool) {
	return b.g.peek(ctx, key1[K]{b.key(key)})
}

// Prime stores v as the value of key, and reports whether it did.
func (b *Batch[K, V]) Prime(ctx context.Context, key K, v V) bool {
	return b.g.prime(ctx, key1[K]{b.key(key)}, v)
}

// InvalidateAll removes every entry of the method, and those that depend on
// them, and returns how many it removed.
func (b *Batch[K, V]) InvalidateAll(ctx context.Context) int { return b.g.invalidateAll(ctx) }

// Name returns the method's name, as used in stats, logs and errors.
func (b *Batch[K, V]) Name() string { return b.g.m.name }

func (b *Batch[K, V]) key(k K) K {
	if b.ka == nil {
		return k
	}
	return b.ka(k)
}

func (b *Batch[K, V]) keys(keys []K) []K {
	if b.ka == nil {
		return keys
	}
	out := make([]K, len(keys))
	for i, k := range keys {
		out[i] = b.ka(k)
	}
	return out
}

// hits adds the keys that t holds to out, without a lock, and returns the
// others.
func (b *Batch[K, V]) hits(t *table[key1[K], V], keys []K, out map[K]V) []K {
	var todo []K
	for i, k := range keys {
		e := t.find(key1[K]{k})
		if e == nil || !t.ms.c.answers(&e.entryBase) || e.err != nil {
			if todo == nil {
				todo = make([]K, 0, len(keys)-i)
			}
			todo = append(todo, k)
			continue
		}
		t.ms.hits.add()
		e.use()
		take(e, out)
	}
	return todo
}

// take adds the value of e, a loaded entry, to out.
func take[K comparable, V any](e *entry[key1[K], V], out map[K]V) {
	if e.state.Load() != stateAbsent {
		out[e.key.a] = e.val
	}
}
