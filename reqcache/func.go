package reqcache

import (
	"context"
	"reflect"

	"github.com/reqcache/reqcache/region"
)

// Func1 is a cached method with one argument, such as GetCustomerByID.
// Make one with Cache1. Its methods are safe for concurrent use; each works
// on the Cache its context carries, and is a plain call of the wrapped
// function (or does nothing) without one.
type Func1[A comparable, V any] struct {
	g  *engine[key1[A], V]
	ka func(A) A // p1's key function, or nil
}

// Cache1 wraps fn, a method of region r whose argument is the parameter p1,
// in a cached method. It panics if the declaration is wrong: a parameter
// declared twice, an ID parameter the method does not have, an option whose
// types do not fit, or a strict region's parameter the method lacks.
func Cache1[T any, ID comparable, A comparable, V any](r *region.Region[T, ID], fn func(context.Context, A) (V, error), p1 *region.Param[A], opts ...Option) *Func1[A, V] {
	d := declaration{
		region:   r.Info(),
		fn:       fn,
		args:     []*region.ParamInfo{p1.Info()},
		argTypes: []reflect.Type{reflect.TypeFor[A]()},
	}
	call := func(ctx context.Context, k key1[A]) (V, error) { return fn(ctx, k.a) }
	return &Func1[A, V]{g: newEngine(d, opts, call), ka: p1.KeyFunc()}
}

// Get returns fn(ctx, a), from the cache ctx carries if it holds it.
// Otherwise it calls fn once for every goroutine of the cache that asks for
// a at the same time, and stores the result unless it is an error. A caller
// whose ctx ends while it waits for another's call returns ctx.Err(); the
// call goes on for the others. Without a cache in ctx, or with a closed
// one, Get is fn(ctx, a).
func (f *Func1[A, V]) Get(ctx context.Context, a A) (V, error) {
	if f.ka != nil {
		a = f.ka(a)
	}
	c, fr := lookup(ctx)
	if e := f.g.hit(c, fr, key1[A]{a}); e != nil {
		return e.val, e.err
	}
	return f.g.get(ctx, c, fr, key1[A]{a})
}

// Invalidate removes the cached call with argument a, and the entries that
// depend on it, and returns how many it removed.
func (f *Func1[A, V]) Invalidate(ctx context.Context, a A) int {
	if f.ka != nil {
		a = f.ka(a)
	}
	return f.g.invalidateKey(ctx, key1[A]{a})
}

// Refresh calls fn(ctx, a) without looking in the cache, and stores the
// result in place of what the cache held. Refresh is deep: the cached
// calls fn makes, and those their functions make, skip the cache too and
// store what they load, each loaded once per Refresh, so that the result
// is not assembled from the stale entries that made the caller refresh.
// Other goroutines of the cache are not made to load: they read the
// stored entries, and wait for the refresh's loads once it has started
// them. A method made with ShallowRefresh reloads its own call alone.
func (f *Func1[A, V]) Refresh(ctx context.Context, a A) (V, error) {
	if f.ka != nil {
		a = f.ka(a)
	}
	return f.g.refresh(ctx, key1[A]{a})
}

// Peek returns the value the cache holds for a, without loading it. It
// reports false if the cache holds no value for a, or holds an error.
func (f *Func1[A, V]) Peek(ctx context.Context, a A) (V, bool) {
	if f.ka != nil {
		a = f.ka(a)
	}
	return f.g.peek(ctx, key1[A]{a})
}

// Prime stores v as the result for a, as after a write that returned the
// new value, and reports whether it did. It does not store v in a closed
// cache.
func (f *Func1[A, V]) Prime(ctx context.Context, a A, v V) bool {
	if f.ka != nil {
		a = f.ka(a)
	}
	return f.g.prime(ctx, key1[A]{a}, v)
}

// InvalidateAll removes every entry of the method, and those that depend on
// them, and returns how many it removed.
func (f *Func1[A, V]) InvalidateAll(ctx context.Context) int { return f.g.invalidateAll(ctx) }

// Name returns the method's name, as used in stats, logs and errors.
func (f *Func1[A, V]) Name() string { return f.g.m.name }

// Batch returns a batch method that reads and fills the entries of f: a
// value that fn returns for a key is the entry of f's call with that key,
// so that each key is loaded once per Cache whichever way it is asked. A
// key fn returns no value for is not found by the batch method, and f
// loads it on its own when asked. fn must return for each key what f's
// function returns for it. The only option Batch takes is Coalesce; it
// panics if given another.
func (f *Func1[A, V]) Batch(fn func(context.Context, []A) (map[A]V, error), opts ...Option) *Batch[A, V] {
	return &Batch[A, V]{g: f.g, fn: fn, ka: f.ka, co: batchOptions(f.g.m, opts)}
}

// Func0 is a cached method without arguments, such as GetProducts. Make one
// with Cache0. Its methods behave as those of Func1.
type Func0[V any] struct {
	g *engine[key0, V]
}

// Cache0 wraps fn, a method of region r without arguments, in a cached
// method. It panics if the declaration is wrong.
func Cache0[T any, ID comparable, V any](r *region.Region[T, ID], fn func(context.Context) (V, error), opts ...Option) *Func0[V] {
	d := declaration{region: r.Info(), fn: fn}
	call := func(ctx context.Context, _ key0) (V, error) { return fn(ctx) }
	return &Func0[V]{g: newEngine(d, opts, call)}
}

// Get returns fn(ctx), from the cache ctx carries if it holds it.
func (f *Func0[V]) Get(ctx context.Context) (V, error) {
	c, fr := lookup(ctx)
	if e := f.g.hit(c, fr, key0{}); e != nil {
		return e.val, e.err
	}
	return f.g.get(ctx, c, fr, key0{})
}

// Invalidate removes the cached call, and the entries that depend on it,
// and returns how many it removed.
func (f *Func0[V]) Invalidate(ctx context.Context) int { return f.g.invalidateKey(ctx, key0{}) }

// Refresh calls fn(ctx) without looking in the cache, and stores the result.
func (f *Func0[V]) Refresh(ctx context.Context) (V, error) { return f.g.refresh(ctx, key0{}) }

// Peek returns the value the cache holds for the call, if it holds one.
func (f *Func0[V]) Peek(ctx context.Context) (V, bool) { return f.g.peek(ctx, key0{}) }

// Prime stores v as the result of the call, and reports whether it did.
func (f *Func0[V]) Prime(ctx context.Context, v V) bool { return f.g.prime(ctx, key0{}, v) }

// Name returns the method's name, as used in stats, logs and errors.
func (f *Func0[V]) Name() string { return f.g.m.name }

// Func2 is a cached method with two arguments. Make one with Cache2. Its
// methods behave as those of Func1.
type Func2[A, B comparable, V any] struct {
	g  *engine[key2[A, B], V]
	ka func(A) A
	kb func(B) B
}

// Cache2 wraps fn, a method of region r whose arguments are the parameters
// p1 and p2, in a cached method. It panics if the declaration is wrong, as
// Cache1 does.
func Cache2[T any, ID comparable, A, B comparable, V any](r *region.Region[T, ID], fn func(context.Context, A, B) (V, error), p1 *region.Param[A], p2 *region.Param[B], opts ...Option) *Func2[A, B, V] {
	d := declaration{
		region:   r.Info(),
		fn:       fn,
		args:     []*region.ParamInfo{p1.Info(), p2.Info()},
		argTypes: []reflect.Type{reflect.TypeFor[A](), reflect.TypeFor[B]()},
	}
	call := func(ctx context.Context, k key2[A, B]) (V, error) { return fn(ctx, k.a, k.b) }
	return &Func2[A, B, V]{g: newEngine(d, opts, call), ka: p1.KeyFunc(), kb: p2.KeyFunc()}
}

func (f *Func2[A, B, V]) key(a A, b B) key2[A, B] {
	if f.ka != nil {
		a = f.ka(a)
	}
	if f.kb != nil {
		b = f.kb(b)
	}
	return key2[A, B]{a, b}
}

// Get returns fn(ctx, a, b), from the cache ctx carries if it holds it.
func (f *Func2[A, B, V]) Get(ctx context.Context, a A, b B) (V, error) {
	k := f.key(a, b)
	c, fr := lookup(ctx)
	if e := f.g.hit(c, fr, k); e != nil {
		return e.val, e.err
	}
	return f.g.get(ctx, c, fr, k)
}

// Invalidate removes the cached call with arguments a and b, and the entries
// that depend on it, and returns how many it removed.
func (f *Func2[A, B, V]) Invalidate(ctx context.Context, a A, b B) int {
	return f.g.invalidateKey(ctx, f.key(a, b))
}

// Refresh calls fn(ctx, a, b) without looking in the cache, and stores the
// result.
func (f *Func2[A, B, V]) Refresh(ctx context.Context, a A, b B) (V, error) {
	return f.g.refresh(ctx, f.key(a, b))
}

// Peek returns the value the cache holds for a and b, without loading it.
func (f *Func2[A, B, V]) Peek(ctx context.Context, a A, b B) (V, bool) {
	return f.g.peek(ctx, f.key(a, b))
}

// Prime stores v as the result for a and b, and reports whether it did.
func (f *Func2[A, B, V]) Prime(ctx context.Context, a A, b B, v V) bool {
	return f.g.prime(ctx, f.key(a, b), v)
}

// InvalidateAll removes every entry of the method, and returns how many it
// removed.
func (f *Func2[A, B, V]) InvalidateAll(ctx context.Context) int { return f.g.invalidateAll(ctx) }

// Name returns the method's name, as used in stats, logs and errors.
func (f *Func2[A, B, V]) Name() string { return f.g.m.name }

// Func3 is a cached method with three arguments. Make one with Cache3. Its
// methods behave as those of Func1.
type Func3[A, B, C comparable, V any] struct {
	g  *engine[key3[A, B, C], V]
	ka func(A) A
	kb func(B) B
	kc func(C) C
}

// Cache3 wraps fn, a method of region r whose arguments are the parameters
// p1, p2 and p3, in a cached method. It panics if the declaration is wrong,
// as Cache1 does.
func Cache3[T any, ID comparable, A, B, C comparable, V any](r *region.Region[T, ID], fn func(context.Context, A, B, C) (V, error), p1 *region.Param[A], p2 *region.Param[B], p3 *region.Param[C], opts ...Option) *Func3[A, B, C, V] {
	d := declaration{
		region:   r.Info(),
		fn:       fn,
		args:     []*region.ParamInfo{p1.Info(), p2.Info(), p3.Info()},
		argTypes: []reflect.Type{reflect.TypeFor[A](), reflect.TypeFor[B](), reflect.TypeFor[C]()},
	}
	call := func(ctx context.Context, k key3[A, B, C]) (V, error) { return fn(ctx, k.a, k.b, k.c) }
	return &Func3[A, B, C, V]{g: newEngine(d, opts, call), ka: p1.KeyFunc(), kb: p2.KeyFunc(), kc: p3.KeyFunc()}
}

func (f *Func3[A, B, C, V]) key(a A, b B, c C) key3[A, B, C] {
	if f.ka != nil {
		a = f.ka(a)
	}
	if f.kb != nil {
		b = f.kb(b)
	}
	if f.kc != nil {
		c = f.kc(c)
	}
	return key3[A, B, C]{a, b, c}
}

// Get returns fn(ctx, a, b, c), from the cache ctx carries if it holds it.
func (f *Func3[A, B, C, V]) Get(ctx context.Context, a A, b B, c C) (V, error) {
	k := f.key(a, b, c)
	rc, fr := lookup(ctx)
	if e := f.g.hit(rc, fr, k); e != nil {
		return e.val, e.err
	}
	return f.g.get(ctx, rc, fr, k)
}

// Invalidate removes the cached call with arguments a, b and c, and the
// entries that depend on it, and returns how many it removed.
func (f *Func3[A, B, C, V]) Invalidate(ctx context.Context, a A, b B, c C) int {
	return f.g.invalidateKey(ctx, f.key(a, b, c))
}

// Refresh calls fn(ctx, a, b, c) without looking in the cache, and stores
// the result.
func (f *Func3[A, B, C, V]) Refresh(ctx context.Context, a A, b B, c C) (V, error) {
	return f.g.refresh(ctx, f.key(a, b, c))
}

// Peek returns the value the cache holds for a, b and c, without loading it.
func (f *Func3[A, B, C, V]) Peek(ctx context.Context, a A, b B, c C) (V, bool) {
	return f.g.peek(ctx, f.key(a, b, c))
}

// Prime stores v as the result for a, b and c, and reports whether it did.
func (f *Func3[A, B, C, V]) Prime(ctx context.Context, a A, b B, c C, v V) bool {
	return f.g.prime(ctx, f.key(a, b, c), v)
}

// InvalidateAll removes every entry of the method, and returns how many it
// removed.
func (f *Func3[A, B, C, V]) InvalidateAll(ctx context.Context) int { return f.g.invalidateAll(ctx) }

// Name returns the method's name, as used in stats, logs and errors.
func (f *Func3[A, B, C, V]) Name() string { return f.g.m.name }
