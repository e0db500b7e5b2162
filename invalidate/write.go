package invalidate

import (
	"context"
	"fmt"

	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// After1 wraps fn, a write method with one argument, so that every call that
// returns no error then invalidates the targets that targets returns for its
// argument, in the cache ctx carries. A failed write invalidates nothing.
//
// If a target is malformed (a zero tag, or a parameter a strict region does
// not match on), the call returns an error that says the write succeeded and
// the invalidation did not: the caller must not retry the write blindly.
func After1[A any](fn func(context.Context, A) error, targets func(A) []region.Target) func(context.Context, A) error {
	return func(ctx context.Context, a A) error {
		if err := fn(ctx, a); err != nil {
			return err
		}
		return apply(ctx, targets(a))
	}
}

// After1R is After1 for a write method that also returns a result, such as
// the created entity, which targets receives.
func After1R[A, R any](fn func(context.Context, A) (R, error), targets func(A, R) []region.Target) func(context.Context, A) (R, error) {
	return func(ctx context.Context, a A) (R, error) {
		r, err := fn(ctx, a)
		if err != nil {
			return r, err
		}
		return r, apply(ctx, targets(a, r))
	}
}

// After2 is After1 for a write method with two arguments.
func After2[A, B any](fn func(context.Context, A, B) error, targets func(A, B) []region.Target) func(context.Context, A, B) error {
	return func(ctx context.Context, a A, b B) error {
		if err := fn(ctx, a, b); err != nil {
			return err
		}
		return apply(ctx, targets(a, b))
	}
}

// After2R is After1R for a write method with two arguments.
func After2R[A, B, R any](fn func(context.Context, A, B) (R, error), targets func(A, B, R) []region.Target) func(context.Context, A, B) (R, error) {
	return func(ctx context.Context, a A, b B) (R, error) {
		r, err := fn(ctx, a, b)
		if err != nil {
			return r, err
		}
		return r, apply(ctx, targets(a, b, r))
	}
}

func apply(ctx context.Context, targets []region.Target) error {
	if _, err := reqcache.Invalidate(ctx, targets...); err != nil {
		return fmt.Errorf("invalidate: the write succeeded, but its invalidation failed: %w", err)
	}
	return nil
}
