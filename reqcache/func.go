package reqcache

import (
	"context"
	"fmt"
	"reflect"
	"strconv"

	"github.com/reqcache/reqcache/region"
)

// Func0 is a cached method without arguments, such as GetProducts. Make one
// with Cache0. Its methods behave as those of Func1.
type Func0[V any] struct {
	g *engine[key0, V]
}

type key0 struct{ seq uint64 }

// Cache0 wraps fn, a method of region r without arguments, in a cached
// method. It panics if the declaration is wrong.
func Cache0[T any, ID comparable, V any](r *region.Region[T, ID], fn func(context.Context) (V, error), opts ...Option) *Func0[V] {
	d := declaration{region: r.Info(), fn: fn}
	call := func(ctx context.Context, _ key0) (V, error) { return fn(ctx) }
	return &Func0[V]{g: newEngine(d, opts, call, keyFuncs[key0]{
		withSeq:  func(_ key0, seq uint64) key0 { return key0{seq} },
		arg:      func(key0, int) any { return nil },
		argIs:    func(key0, int, any) bool { return false },
		format:   func(key0) string { return "" },
		fromArgs: func(seq uint64, _ []any) (key0, bool) { return key0{seq}, true },
	})}
}

// Get returns fn(ctx), from the cache ctx carries if it holds it.
func (f *Func0[V]) Get(ctx context.Context) (V, error) {
	c, fr := lookup(ctx)
	if c.Closed() {
		return f.g.call(ctx, key0{})
	}
	k := key0{c.key()}
	e, ok := f.g.hit(k, fr)
	if ok {
		return e.val, e.err
	}
	return f.g.getSlow(ctx, c.state(), fr, k, e)
}

// Invalidate removes the cached call, and reports whether there was one.
func (f *Func0[V]) Invalidate(ctx context.Context) bool { return f.g.invalidate(ctx, key0{}) > 0 }

// Refresh calls fn(ctx) without looking in the cache, and stores the result.
func (f *Func0[V]) Refresh(ctx context.Context) (V, error) { return f.g.refresh(ctx, key0{}) }

// Peek returns the value the cache holds for the call, if it holds one.
func (f *Func0[V]) Peek(ctx context.Context) (V, bool) { return f.g.peek(ctx, key0{}) }

// Prime stores v as the result of the call, and reports whether it did.
func (f *Func0[V]) Prime(ctx context.Context, v V) bool { return f.g.prime(ctx, key0{}, v) }

// Clear removes the cached call, as Invalidate does, and returns how many
// entries it removed, with those that depended on it.
func (f *Func0[V]) Clear(ctx context.Context) int { return f.g.clear(ctx) }

// Name returns the method's name, as used in stats, logs and errors.
func (f *Func0[V]) Name() string { return f.g.m.name }

// Func1 is a cached method with one argument. Make one with Cache1.
type Func1[A comparable, V any] struct {
	g *engine[key1[A], V]
}

type key1[A comparable] struct {
	seq uint64
	a   A
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
	return &Func1[A, V]{g: newEngine(d, opts, call, keyFuncs[key1[A]]{
		withSeq: func(k key1[A], seq uint64) key1[A] { k.seq = seq; return k },
		arg:     func(k key1[A], _ int) any { return k.a },
		argIs:   func(k key1[A], _ int, v any) bool { return is(k.a, v) },
		format:  func(k key1[A]) string { return formatArg(k.a) },
		fromArgs: func(seq uint64, args []any) (key1[A], bool) {
			a, ok := args[0].(A)
			return key1[A]{seq, a}, ok
		},
	})}
}

// Get returns fn(ctx, a), from the cache ctx carries if it holds it.
// Otherwise it calls fn once for every goroutine of the cache that asks for
// a at the same time, and stores the result unless it is an error. A caller
// whose ctx ends while it waits for another's call returns ctx.Err(); the
// call goes on for the others. Without a cache in ctx, or with a closed
// one, Get is fn(ctx, a).
func (f *Func1[A, V]) Get(ctx context.Context, a A) (V, error) {
	c, fr := lookup(ctx)
	if c.Closed() {
		return f.g.call(ctx, key1[A]{a: a})
	}
	k := key1[A]{c.key(), a}
	e, ok := f.g.hit(k, fr)
	if ok {
		return e.val, e.err
	}
	return f.g.getSlow(ctx, c.state(), fr, k, e)
}

// Invalidate removes the cached call with argument a, and the entries that
// depend on it, and reports whether the cache held the call.
func (f *Func1[A, V]) Invalidate(ctx context.Context, a A) bool {
	return f.g.invalidate(ctx, key1[A]{a: a}) > 0
}

// Refresh calls fn(ctx, a) without looking in the cache, and stores the
// result in place of what the cache held.
func (f *Func1[A, V]) Refresh(ctx context.Context, a A) (V, error) {
	return f.g.refresh(ctx, key1[A]{a: a})
}

// Peek returns the value the cache holds for a, without loading it. It
// reports false if the cache holds no value for a, or holds an error.
func (f *Func1[A, V]) Peek(ctx context.Context, a A) (V, bool) { return f.g.peek(ctx, key1[A]{a: a}) }

// Prime stores v as the result for a, as after a write that returned the new
// value, and reports whether it did. It does not store v in a full or
// closed cache.
func (f *Func1[A, V]) Prime(ctx context.Context, a A, v V) bool {
	return f.g.prime(ctx, key1[A]{a: a}, v)
}

// Clear removes every entry of the method, and returns how many it removed.
func (f *Func1[A, V]) Clear(ctx context.Context) int { return f.g.clear(ctx) }

// Name returns the method's name, as used in stats, logs and errors.
func (f *Func1[A, V]) Name() string { return f.g.m.name }

// is reports whether v is a T equal to x.
func is[T comparable](x T, v any) bool {
	y, ok := v.(T)
	return ok && x == y
}

// formatArg formats an argument for a description: strings quoted, the rest
// as by fmt.Print.
func formatArg(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(v)
}
