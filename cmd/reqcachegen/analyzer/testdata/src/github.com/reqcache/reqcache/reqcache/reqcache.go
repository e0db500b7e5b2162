// Package reqcache is a stub of reqcache's reqcache package: the
// declarations the analyzer looks at, with the same signatures.
package reqcache

import (
	"context"

	"github.com/reqcache/reqcache/region"
)

type Option interface{ apply() }

type Func0[V any] struct{}
type Func1[A comparable, V any] struct{}
type Func2[A, B comparable, V any] struct{}
type Func3[A, B, C comparable, V any] struct{}
type Batch[K comparable, V any] struct{}

func Cache0[T any, ID comparable, V any](r *region.Region[T, ID], fn func(context.Context) (V, error), opts ...Option) *Func0[V] {
	return nil
}

func Cache1[T any, ID comparable, A comparable, V any](r *region.Region[T, ID], fn func(context.Context, A) (V, error), p1 *region.Param[A], opts ...Option) *Func1[A, V] {
	return nil
}

func Cache2[T any, ID comparable, A, B comparable, V any](r *region.Region[T, ID], fn func(context.Context, A, B) (V, error), p1 *region.Param[A], p2 *region.Param[B], opts ...Option) *Func2[A, B, V] {
	return nil
}

func Cache3[T any, ID comparable, A, B, C comparable, V any](r *region.Region[T, ID], fn func(context.Context, A, B, C) (V, error), p1 *region.Param[A], p2 *region.Param[B], p3 *region.Param[C], opts ...Option) *Func3[A, B, C, V] {
	return nil
}

func CacheBatch[T any, K comparable, V any](r *region.Region[T, K], fn func(context.Context, []K) (map[K]V, error), opts ...Option) *Batch[K, V] {
	return nil
}

func IDFromParam[K comparable](p *region.Param[K]) Option { return nil }

func ParamFromResult[V any, T comparable](p *region.Param[T], f func(V) T) Option { return nil }
