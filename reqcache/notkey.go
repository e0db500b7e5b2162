package reqcache

import (
	"context"
	"reflect"

	"github.com/reqcache/reqcache/region"
)

// Methods with an argument that is no part of the key (Metalama's
// [NotCacheKey]): a logger, a tracing handle, an options struct that does
// not change the result. Func1NotKey wraps func(ctx, A, X) (V, error) and
// keys its entries by A alone: calls that differ only in x share one entry,
// single flight included, and the function runs with the x of the call
// that loads it, which its waiters and later hits do not see. X needs no
// ==, since it is never compared. The argument comes last, where Go
// signatures put options; a function that takes it elsewhere is wrapped in
// a closure that reorders its arguments.
//
// Why a family of its own and not a kind of region.Param: the keyed
// methods' type parameters are comparable, and their key is the argument
// tuple; leaving one argument out changes both, at compile time. The keyed
// methods stay as they were, and a NotKey cannot be given where a key
// parameter is expected, nor matched by invalidate.Match. The argument
// reaches the function through the load's context, in a value that only
// this method reads: one allocation on a miss, none on a hit.

// notKeyContext carries the not-key argument of one call to the function of
// its method, found under the key of the method's wrapper.
type notKeyContext[X any] struct {
	context.Context
	key any
	x   X
}

func (c *notKeyContext[X]) Value(key any) any {
	if key == c.key {
		return c
	}
	return c.Context.Value(key)
}

// notKeyArg returns the not-key argument that the call of the method keyed
// by key, whose load runs with ctx, was made with.
func notKeyArg[X any](ctx context.Context, key any) X {
	if c, ok := ctx.Value(key).(*notKeyContext[X]); ok {
		return c.x
	}
	var zero X
	return zero
}

// notKeyName returns the name of x for a declaration: "" if x is nil.
func notKeyName[X any](x *region.NotKey[X]) *string {
	name := ""
	if x != nil {
		name = x.Name()
	}
	return &name
}

// Func1NotKey is a cached method with one keyed argument and one that is
// no part of the key. Make one with Cache1NotKey. Its methods behave as
// those of Func1; Get and Refresh take the not-key argument too.
type Func1NotKey[A comparable, X, V any] struct {
	f Func1[A, V]
}

// Cache1NotKey wraps fn, a method of region r whose first argument is the
// parameter p1 and whose second, x, is passed to fn but left out of the
// key. It panics if the declaration is wrong, as Cache1 does, or if x is
// nil or has the name of p1.
func Cache1NotKey[T any, ID comparable, A comparable, X, V any](r *region.Region[T, ID], fn func(context.Context, A, X) (V, error), p1 *region.Param[A], x *region.NotKey[X], opts ...Option) *Func1NotKey[A, X, V] {
	d := declaration{
		region:   r.Info(),
		fn:       fn,
		args:     []*region.ParamInfo{p1.Info()},
		argTypes: []reflect.Type{reflect.TypeFor[A]()},
		notKey:   notKeyName(x),
	}
	f := new(Func1NotKey[A, X, V])
	call := func(ctx context.Context, k key1[A]) (V, error) { return fn(ctx, k.a, notKeyArg[X](ctx, f)) }
	f.f = Func1[A, V]{g: newEngine(d, opts, call), ka: p1.KeyFunc()}
	return f
}

// Get returns fn(ctx, a, x), from the cache ctx carries if it holds the
// call with argument a, whatever x it was loaded with.
func (f *Func1NotKey[A, X, V]) Get(ctx context.Context, a A, x X) (V, error) {
	if f.f.ka != nil {
		a = f.f.ka(a)
	}
	c, fr := lookup(ctx)
	if e := f.f.g.hit(c, fr, key1[A]{a}); e != nil {
		return e.val, e.err
	}
	return f.f.g.get(&notKeyContext[X]{ctx, f, x}, c, fr, key1[A]{a})
}

// Refresh calls fn(ctx, a, x) without looking in the cache, and stores the
// result, as Func1.Refresh does.
func (f *Func1NotKey[A, X, V]) Refresh(ctx context.Context, a A, x X) (V, error) {
	return f.f.Refresh(&notKeyContext[X]{ctx, f, x}, a)
}

// Invalidate removes the cached call with argument a, and the entries that
// depend on it, and returns how many it removed.
func (f *Func1NotKey[A, X, V]) Invalidate(ctx context.Context, a A) int {
	return f.f.Invalidate(ctx, a)
}

// Peek returns the value the cache holds for a, without loading it.
func (f *Func1NotKey[A, X, V]) Peek(ctx context.Context, a A) (V, bool) { return f.f.Peek(ctx, a) }

// Prime stores v as the result for a, and reports whether it did.
func (f *Func1NotKey[A, X, V]) Prime(ctx context.Context, a A, v V) bool {
	return f.f.Prime(ctx, a, v)
}

// InvalidateAll removes every entry of the method, and returns how many it
// removed.
func (f *Func1NotKey[A, X, V]) InvalidateAll(ctx context.Context) int { return f.f.InvalidateAll(ctx) }

// Name returns the method's name, as used in stats, logs and errors.
func (f *Func1NotKey[A, X, V]) Name() string { return f.f.Name() }

// Func0NotKey is a cached method whose only argument is no part of the
// key: it has one call. Make one with Cache0NotKey. Its methods behave as
// those of Func1NotKey.
type Func0NotKey[X, V any] struct {
	f Func0[V]
}

// Cache0NotKey wraps fn, a method of region r whose one argument, x, is
// passed to fn but left out of the key. It panics if the declaration is
// wrong, or if x is nil.
func Cache0NotKey[T any, ID comparable, X, V any](r *region.Region[T, ID], fn func(context.Context, X) (V, error), x *region.NotKey[X], opts ...Option) *Func0NotKey[X, V] {
	d := declaration{region: r.Info(), fn: fn, notKey: notKeyName(x)}
	f := new(Func0NotKey[X, V])
	call := func(ctx context.Context, _ key0) (V, error) { return fn(ctx, notKeyArg[X](ctx, f)) }
	f.f = Func0[V]{g: newEngine(d, opts, call)}
	return f
}

// Get returns fn(ctx, x), from the cache ctx carries if it holds the call,
// whatever x it was loaded with.
func (f *Func0NotKey[X, V]) Get(ctx context.Context, x X) (V, error) {
	c, fr := lookup(ctx)
	if e := f.f.g.hit(c, fr, key0{}); e != nil {
		return e.val, e.err
	}
	return f.f.g.get(&notKeyContext[X]{ctx, f, x}, c, fr, key0{})
}

// Refresh calls fn(ctx, x) without looking in the cache, and stores the
// result.
func (f *Func0NotKey[X, V]) Refresh(ctx context.Context, x X) (V, error) {
	return f.f.Refresh(&notKeyContext[X]{ctx, f, x})
}

// Invalidate removes the cached call, and the entries that depend on it,
// and returns how many it removed.
func (f *Func0NotKey[X, V]) Invalidate(ctx context.Context) int { return f.f.Invalidate(ctx) }

// Peek returns the value the cache holds for the call, if it holds one.
func (f *Func0NotKey[X, V]) Peek(ctx context.Context) (V, bool) { return f.f.Peek(ctx) }

// Prime stores v as the result of the call, and reports whether it did.
func (f *Func0NotKey[X, V]) Prime(ctx context.Context, v V) bool { return f.f.Prime(ctx, v) }

// Name returns the method's name, as used in stats, logs and errors.
func (f *Func0NotKey[X, V]) Name() string { return f.f.Name() }

// Func2NotKey is a cached method with two keyed arguments and one that is
// no part of the key. Make one with Cache2NotKey. Its methods behave as
// those of Func1NotKey.
type Func2NotKey[A, B comparable, X, V any] struct {
	f Func2[A, B, V]
}

// Cache2NotKey wraps fn, a method of region r whose first two arguments
// are the parameters p1 and p2 and whose third, x, is passed to fn but
// left out of the key. It panics if the declaration is wrong, as Cache2
// does, or if x is nil or has the name of p1 or p2.
func Cache2NotKey[T any, ID comparable, A, B comparable, X, V any](r *region.Region[T, ID], fn func(context.Context, A, B, X) (V, error), p1 *region.Param[A], p2 *region.Param[B], x *region.NotKey[X], opts ...Option) *Func2NotKey[A, B, X, V] {
	d := declaration{
		region:   r.Info(),
		fn:       fn,
		args:     []*region.ParamInfo{p1.Info(), p2.Info()},
		argTypes: []reflect.Type{reflect.TypeFor[A](), reflect.TypeFor[B]()},
		notKey:   notKeyName(x),
	}
	f := new(Func2NotKey[A, B, X, V])
	call := func(ctx context.Context, k key2[A, B]) (V, error) { return fn(ctx, k.a, k.b, notKeyArg[X](ctx, f)) }
	f.f = Func2[A, B, V]{g: newEngine(d, opts, call), ka: p1.KeyFunc(), kb: p2.KeyFunc()}
	return f
}

// Get returns fn(ctx, a, b, x), from the cache ctx carries if it holds the
// call with arguments a and b, whatever x it was loaded with.
func (f *Func2NotKey[A, B, X, V]) Get(ctx context.Context, a A, b B, x X) (V, error) {
	k := f.f.key(a, b)
	c, fr := lookup(ctx)
	if e := f.f.g.hit(c, fr, k); e != nil {
		return e.val, e.err
	}
	return f.f.g.get(&notKeyContext[X]{ctx, f, x}, c, fr, k)
}

// Refresh calls fn(ctx, a, b, x) without looking in the cache, and stores
// the result.
func (f *Func2NotKey[A, B, X, V]) Refresh(ctx context.Context, a A, b B, x X) (V, error) {
	return f.f.Refresh(&notKeyContext[X]{ctx, f, x}, a, b)
}

// Invalidate removes the cached call with arguments a and b, and the
// entries that depend on it, and returns how many it removed.
func (f *Func2NotKey[A, B, X, V]) Invalidate(ctx context.Context, a A, b B) int {
	return f.f.Invalidate(ctx, a, b)
}

// Peek returns the value the cache holds for a and b, without loading it.
func (f *Func2NotKey[A, B, X, V]) Peek(ctx context.Context, a A, b B) (V, bool) {
	return f.f.Peek(ctx, a, b)
}

// Prime stores v as the result for a and b, and reports whether it did.
func (f *Func2NotKey[A, B, X, V]) Prime(ctx context.Context, a A, b B, v V) bool {
	return f.f.Prime(ctx, a, b, v)
}

// InvalidateAll removes every entry of the method, and returns how many it
// removed.
func (f *Func2NotKey[A, B, X, V]) InvalidateAll(ctx context.Context) int {
	return f.f.InvalidateAll(ctx)
}

// Name returns the method's name, as used in stats, logs and errors.
func (f *Func2NotKey[A, B, X, V]) Name() string { return f.f.Name() }

// Func3NotKey is a cached method with three keyed arguments and one that is
// no part of the key. Make one with Cache3NotKey. Its methods behave as
// those of Func1NotKey.
type Func3NotKey[A, B, C comparable, X, V any] struct {
	f Func3[A, B, C, V]
}

// Cache3NotKey wraps fn, a method of region r whose first three arguments
// are the parameters p1, p2 and p3 and whose fourth, x, is passed to fn but
// left out of the key. It panics if the declaration is wrong, as Cache3
// does, or if x is nil or has the name of p1, p2 or p3.
func Cache3NotKey[T any, ID comparable, A, B, C comparable, X, V any](r *region.Region[T, ID], fn func(context.Context, A, B, C, X) (V, error), p1 *region.Param[A], p2 *region.Param[B], p3 *region.Param[C], x *region.NotKey[X], opts ...Option) *Func3NotKey[A, B, C, X, V] {
	d := declaration{
		region:   r.Info(),
		fn:       fn,
		args:     []*region.ParamInfo{p1.Info(), p2.Info(), p3.Info()},
		argTypes: []reflect.Type{reflect.TypeFor[A](), reflect.TypeFor[B](), reflect.TypeFor[C]()},
		notKey:   notKeyName(x),
	}
	f := new(Func3NotKey[A, B, C, X, V])
	call := func(ctx context.Context, k key3[A, B, C]) (V, error) {
		return fn(ctx, k.a, k.b, k.c, notKeyArg[X](ctx, f))
	}
	f.f = Func3[A, B, C, V]{g: newEngine(d, opts, call), ka: p1.KeyFunc(), kb: p2.KeyFunc(), kc: p3.KeyFunc()}
	return f
}

// Get returns fn(ctx, a, b, c, x), from the cache ctx carries if it holds
// the call with arguments a, b and c, whatever x it was loaded with.
func (f *Func3NotKey[A, B, C, X, V]) Get(ctx context.Context, a A, b B, c C, x X) (V, error) {
	k := f.f.key(a, b, c)
	rc, fr := lookup(ctx)
	if e := f.f.g.hit(rc, fr, k); e != nil {
		return e.val, e.err
	}
	return f.f.g.get(&notKeyContext[X]{ctx, f, x}, rc, fr, k)
}

// Refresh calls fn(ctx, a, b, c, x) without looking in the cache, and
// stores the result.
func (f *Func3NotKey[A, B, C, X, V]) Refresh(ctx context.Context, a A, b B, c C, x X) (V, error) {
	return f.f.Refresh(&notKeyContext[X]{ctx, f, x}, a, b, c)
}

// Invalidate removes the cached call with arguments a, b and c, and the
// entries that depend on it, and returns how many it removed.
func (f *Func3NotKey[A, B, C, X, V]) Invalidate(ctx context.Context, a A, b B, c C) int {
	return f.f.Invalidate(ctx, a, b, c)
}

// Peek returns the value the cache holds for a, b and c, without loading
// it.
func (f *Func3NotKey[A, B, C, X, V]) Peek(ctx context.Context, a A, b B, c C) (V, bool) {
	return f.f.Peek(ctx, a, b, c)
}

// Prime stores v as the result for a, b and c, and reports whether it did.
func (f *Func3NotKey[A, B, C, X, V]) Prime(ctx context.Context, a A, b B, c C, v V) bool {
	return f.f.Prime(ctx, a, b, c, v)
}

// InvalidateAll removes every entry of the method, and returns how many it
// removed.
func (f *Func3NotKey[A, B, C, X, V]) InvalidateAll(ctx context.Context) int {
	return f.f.InvalidateAll(ctx)
}

// Name returns the method's name, as used in stats, logs and errors.
func (f *Func3NotKey[A, B, C, X, V]) Name() string { return f.f.Name() }
