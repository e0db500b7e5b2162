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
	if len(ids) == 1 { // the common case, without a slice
		return reqcache.FromContext(ctx).InvalidateTags(r.Tag(ids[0]))
	}
	return reqcache.FromContext(ctx).InvalidateTags(r.Tags(ids...)...)
}

// Tags removes every entry that has one of tags as its unique ID or as a
// tag, as one step, and returns how many entries it removed. Zero tags are
// ignored.
func Tags(ctx context.Context, tags ...region.Tag) int {
	return reqcache.FromContext(ctx).InvalidateTags(tags...)
}

// Match removes the entries of r whose parameters match every condition:
// all of a method's parameters for one exact call, or a subset, such as the
// preName of a customer whose entries were looked up by name and preName.
// A method of r that does not declare one of the parameters loses all its
// entries; in a strict region, Match returns an error instead and removes
// nothing. It returns how many entries it removed.
func Match[T any, K comparable](ctx context.Context, r *region.Region[T, K], conds ...region.Cond) (int, error) {
	return reqcache.FromContext(ctx).Invalidate(r.Where(conds...))
}

// Region removes every entry of r, and returns how many it removed.
func Region[T any, K comparable](ctx context.Context, r *region.Region[T, K]) int {
	n, _ := reqcache.FromContext(ctx).Invalidate(r.Where())
	return n
}

// All removes every entry of the cache ctx carries, and returns how many it
// removed.
func All(ctx context.Context) int {
	n, _ := reqcache.FromContext(ctx).Invalidate(region.Everything)
	return n
}

// Targets removes the entries that targets select, as one step, and returns
// how many it removed. It returns an error, and removes nothing, if a target
// is malformed.
func Targets(ctx context.Context, targets ...region.Target) (int, error) {
	return reqcache.FromContext(ctx).Invalidate(targets...)
}
