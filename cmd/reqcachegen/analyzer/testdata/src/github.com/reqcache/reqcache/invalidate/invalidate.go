// Package invalidate is a stub of reqcache's invalidate package.
package invalidate

import (
	"context"

	"github.com/reqcache/reqcache/region"
)

func Match[T any, K comparable](ctx context.Context, r *region.Region[T, K], conds ...region.Cond) (int, error) {
	return 0, nil
}

func ID[T any, K comparable](ctx context.Context, r *region.Region[T, K], ids ...K) int { return 0 }
