package reqcache

import (
	"context"
	"reflect"

	"github.com/reqcache/reqcache/region"
)

// Func2 is a cached method with two arguments. Make one with Cache2. Its
// methods behave as those of Func1.
type Func2[A, B comparable, V any] struct {
	g *engine[key2[A, B], V]
}

type key2[A, B comparable] struct {
	seq uint64
	a   A
	b   B
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
	return &Func2[A, B, V]{g: newEngine(d, opts, call, keyFuncs[key2[A, B]]{
		withSeq: func(k key2[A, B], seq uint64) key2[A, B] { k.seq = seq; return k },
		arg: func(k key2[A, B], i int) any {
			if i == 0 {
				return k.a
			}
			return k.b
		},
		argIs: func(k key2[A, B], i int, v any) bool {
			if i == 0 {
				return is(k.a, v)
			}
			return is(k.b, v)
		},
		format: func(k key2[A, B]) string { return formatArg(k.a) + ", " + formatArg(k.b) },
		fromArgs: func(seq uint64, args []any) (key2[A, B], bool) {
			a, ok1 := args[0].(A)
			b, ok2 := args[1].(B)
			return key2[A, B]{seq, a, b}, ok1 && ok2
		},
	})}
}

// Get returns fn(ctx, a, b), from the cache ctx carries if it holds it.
func (f *Func2[A, B, V]) Get(ctx context.Context, a A, b B) (V, error) {
	c, fr := lookup(ctx)
	if c.Closed() {
		return f.g.call(ctx, key2[A, B]{a: a, b: b})
	}
	k := key2[A, B]{c.key(), a, b}
	e, ok := f.g.hit(k, fr)
	if ok {
		return e.val, e.err
	}
	return f.g.getSlow(ctx, c.state(), fr, k, e)
}

// Invalidate removes the cached call with arguments a and b, and the entries
// that depend on it, and reports whether the cache held the call.
func (f *Func2[A, B, V]) Invalidate(ctx context.Context, a A, b B) bool {
	return f.g.invalidate(ctx, key2[A, B]{a: a, b: b}) > 0
}

// Refresh calls fn(ctx, a, b) without looking in the cache, and stores the
// result.
func (f *Func2[A, B, V]) Refresh(ctx context.Context, a A, b B) (V, error) {
	return f.g.refresh(ctx, key2[A, B]{a: a, b: b})
}

// Peek returns the value the cache holds for a and b, without loading it.
func (f *Func2[A, B, V]) Peek(ctx context.Context, a A, b B) (V, bool) {
	return f.g.peek(ctx, key2[A, B]{a: a, b: b})
}

// Prime stores v as the result for a and b, and reports whether it did.
func (f *Func2[A, B, V]) Prime(ctx context.Context, a A, b B, v V) bool {
	return f.g.prime(ctx, key2[A, B]{a: a, b: b}, v)
}

// Clear removes every entry of the method, and returns how many it removed.
func (f *Func2[A, B, V]) Clear(ctx context.Context) int { return f.g.clear(ctx) }

// Name returns the method's name, as used in stats, logs and errors.
func (f *Func2[A, B, V]) Name() string { return f.g.m.name }

// Func3 is a cached method with three arguments. Make one with Cache3. Its
// methods behave as those of Func1.
type Func3[A, B, C comparable, V any] struct {
	g *engine[key3[A, B, C], V]
}

type key3[A, B, C comparable] struct {
	seq uint64
	a   A
	b   B
	c   C
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
	return &Func3[A, B, C, V]{g: newEngine(d, opts, call, keyFuncs[key3[A, B, C]]{
		withSeq: func(k key3[A, B, C], seq uint64) key3[A, B, C] { k.seq = seq; return k },
		arg: func(k key3[A, B, C], i int) any {
			switch i {
			case 0:
				return k.a
			case 1:
				return k.b
			}
			return k.c
		},
		argIs: func(k key3[A, B, C], i int, v any) bool {
			switch i {
			case 0:
				return is(k.a, v)
			case 1:
				return is(k.b, v)
			}
			return is(k.c, v)
		},
		format: func(k key3[A, B, C]) string {
			return formatArg(k.a) + ", " + formatArg(k.b) + ", " + formatArg(k.c)
		},
		fromArgs: func(seq uint64, args []any) (key3[A, B, C], bool) {
			a, ok1 := args[0].(A)
			b, ok2 := args[1].(B)
			c, ok3 := args[2].(C)
			return key3[A, B, C]{seq, a, b, c}, ok1 && ok2 && ok3
		},
	})}
}

// Get returns fn(ctx, a, b, c), from the cache ctx carries if it holds it.
func (f *Func3[A, B, C, V]) Get(ctx context.Context, a A, b B, c C) (V, error) {
	rc, fr := lookup(ctx)
	if rc.Closed() {
		return f.g.call(ctx, key3[A, B, C]{a: a, b: b, c: c})
	}
	k := key3[A, B, C]{rc.key(), a, b, c}
	e, ok := f.g.hit(k, fr)
	if ok {
		return e.val, e.err
	}
	return f.g.getSlow(ctx, rc.state(), fr, k, e)
}

// Invalidate removes the cached call with arguments a, b and c, and the
// entries that depend on it, and reports whether the cache held the call.
func (f *Func3[A, B, C, V]) Invalidate(ctx context.Context, a A, b B, c C) bool {
	return f.g.invalidate(ctx, key3[A, B, C]{a: a, b: b, c: c}) > 0
}

// Refresh calls fn(ctx, a, b, c) without looking in the cache, and stores
// the result.
func (f *Func3[A, B, C, V]) Refresh(ctx context.Context, a A, b B, c C) (V, error) {
	return f.g.refresh(ctx, key3[A, B, C]{a: a, b: b, c: c})
}

// Peek returns the value the cache holds for a, b and c, without loading it.
func (f *Func3[A, B, C, V]) Peek(ctx context.Context, a A, b B, c C) (V, bool) {
	return f.g.peek(ctx, key3[A, B, C]{a: a, b: b, c: c})
}

// Prime stores v as the result for a, b and c, and reports whether it did.
func (f *Func3[A, B, C, V]) Prime(ctx context.Context, a A, b B, c C, v V) bool {
	return f.g.prime(ctx, key3[A, B, C]{a: a, b: b, c: c}, v)
}

// Clear removes every entry of the method, and returns how many it removed.
func (f *Func3[A, B, C, V]) Clear(ctx context.Context) int { return f.g.clear(ctx) }

// Name returns the method's name, as used in stats, logs and errors.
func (f *Func3[A, B, C, V]) Name() string { return f.g.m.name }
