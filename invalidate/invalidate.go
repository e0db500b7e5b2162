package invalidate

import (
	"context"

	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// ID removes, from the cache ctx carries, every entry of r whose unique ID
// is one of ids, in every method of r, and every entry of any region tagged
// with one of them, as one step. It returns how many entries it removed.
func ID[T any, K comparable](ctx context.Context, r *region.Region[T, K], ids ...K) int {
	targets := make([]region.Target, len(ids))
	for i, id := range ids {
		targets[i] = r.Tag(id)
	}
	n, _ := reqcache.Invalidate(ctx, targets...) // a Region's tags are valid
	return n
}

// Tags removes every entry that has one of tags as its unique ID or as a
// tag, as one step, and returns how many entries it removed. Zero tags are
// ignored.
func Tags(ctx context.Context, tags ...region.Tag) int {
	targets := make([]region.Target, 0, len(tags))
	for _, t := range tags {
		if t.Region() != nil {
			targets = append(targets, t)
		}
	}
	n, _ := reqcache.Invalidate(ctx, targets...)
	return n
}

// Match removes the entries of r whose parameters match every condition:
// all of a method's parameters for one exact call, or a subset, such as the
// preName of a customer whose entries were looked up by name and preName.
// A method of r that does not declare one of the parameters loses all its
// entries; in a strict region, Match returns an error instead and removes
// nothing. It returns how many entries it removed.
func Match[T any, K comparable](ctx context.Context, r *region.Region[T, K], conds ...region.Cond) (int, error) {
	return reqcache.Invalidate(ctx, r.Where(conds...))
}

// Region removes every entry of r, and every entry of other regions tagged
// with an ID of r, and returns how many it removed.
func Region[T any, K comparable](ctx context.Context, r *region.Region[T, K]) int {
	n, _ := reqcache.Invalidate(ctx, r.Where())
	return n
}

// All removes every entry of the cache ctx carries, and returns how many it
// removed.
func All(ctx context.Context) int {
	n, _ := reqcache.Invalidate(ctx, region.Everything)
	return n
}
