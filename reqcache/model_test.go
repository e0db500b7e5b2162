package reqcache_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// modelDB is the data behind the model test: one version per key, raised by
// every write.
type modelDB struct {
	version [4]atomic.Int64
	// floor[k] is the version every read of k that starts now must see at
	// least: the version of the last write of k whose invalidation has
	// returned.
	floor [4]atomic.Int64
}

func (db *modelDB) raiseFloor(k, w int64) {
	for {
		cur := db.floor[k].Load()
		if cur >= w || db.floor[k].CompareAndSwap(cur, w) {
			return
		}
	}
}

// TestModel runs goroutines of one request that read, refresh, write and
// invalidate a small key space at random, through three cached methods (one
// calling another), and checks every read against a sequential model: no
// read returns a value that an invalidation which returned before the read
// began should have removed.
func TestModel(t *testing.T) {
	const goroutines, ops = 8, 1500
	db := &modelDB{}
	groupOf := func(k int64) string { return fmt.Sprint("g", k%2) }

	byID := reqcache.Cache1(Items, func(_ context.Context, k int64) (int64, error) {
		return db.version[k].Load(), nil
	}, ItemID, reqcache.IDFromParam(ItemID), reqcache.Name("byID"))
	byPair := reqcache.Cache2(Items, func(_ context.Context, k int64, _ string) (int64, error) {
		return db.version[k].Load(), nil
	}, ItemID, Group, reqcache.IDFromParam(ItemID), reqcache.Name("byPair"))
	view := reqcache.Cache1(Orders, func(ctx context.Context, k int64) (int64, error) {
		return byID.Get(ctx, k) // an order view that reads its item through the cache
	}, OrderID, reqcache.Name("view"))

	type read func(ctx context.Context, k int64) (int64, error)
	reads := []read{
		func(ctx context.Context, k int64) (int64, error) { return byID.Get(ctx, k) },
		func(ctx context.Context, k int64) (int64, error) { return byPair.Get(ctx, k, groupOf(k)) },
		func(ctx context.Context, k int64) (int64, error) { return view.Get(ctx, k) },
		func(ctx context.Context, k int64) (int64, error) { return byID.Refresh(ctx, k) },
	}
	invalidations := []func(ctx context.Context, k int64){
		func(ctx context.Context, k int64) { byID.Invalidate(ctx, k); byPair.Invalidate(ctx, k, groupOf(k)) },
		func(ctx context.Context, k int64) { invalidate.ID(ctx, Items, k) },
		func(ctx context.Context, k int64) { mustMatch(t, ctx, ItemID.Is(k)) },
		func(ctx context.Context, k int64) { mustMatch(t, ctx, Group.Is(groupOf(k))) },
		func(ctx context.Context, k int64) { invalidate.Region(ctx, Items) },
		func(ctx context.Context, k int64) { invalidate.All(ctx) },
	}

	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seed := uint64(g)
			rng := rand.New(rand.NewPCG(seed, 42))
			for op := range ops {
				k := rng.Int64N(int64(len(db.version)))
				if rng.IntN(4) == 0 {
					w := db.version[k].Add(1)
					invalidations[rng.IntN(len(invalidations))](ctx, k)
					db.raiseFloor(k, w)
					continue
				}
				i := rng.IntN(len(reads))
				floor := db.floor[k].Load()
				v, err := reads[i](ctx, k)
				if err != nil || v < floor {
					t.Errorf("goroutine %d (seed %d), op %d: read %d of key %d = %d, %v; want at least version %d",
						g, seed, op, i, k, v, err, floor)
					return
				}
			}
		}()
	}
	wg.Wait()
	if s := c.Stats(); s.Hits == 0 || s.Invalidated == 0 {
		t.Errorf("Stats() = %+v; want hits and invalidations: the test exercised nothing", s)
	}
}

func mustMatch(t *testing.T, ctx context.Context, conds ...region.Cond) {
	if _, err := invalidate.Match(ctx, Items, conds...); err != nil {
		t.Errorf("Match(%v) error = %v", conds, err)
	}
}
