package reqcache_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
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

// modelOps is the number of operations TestModel runs per scenario, over
// all its goroutines: REQCACHE_MODEL_OPS, or a default that keeps
// go test -race fast. A long run:
//
//	REQCACHE_MODEL_OPS=1000000 go test -run TestModel -v ./reqcache
func modelOps(t *testing.T) int {
	t.Helper()
	s := os.Getenv("REQCACHE_MODEL_OPS")
	if s == "" {
		return 12_000
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		t.Fatalf("REQCACHE_MODEL_OPS=%q; want a positive number", s)
	}
	return n
}

// TestModel runs goroutines of one request that read, peek, prime,
// batch-read, refresh, write and invalidate a small key space at random,
// through cached methods (one calling another, one batch sharing the
// entries of another), and checks every read against a sequential model:
// no read returns a value that an invalidation which returned before the
// read began should have removed. It runs with and without eviction, and
// with a Close racing everything halfway.
func TestModel(t *testing.T) {
	scenarios := []struct {
		name       string
		maxEntries int
		close      bool
	}{
		{"unbounded", 0, false},
		{"evicting", 3, false},
		{"evicting, closed halfway", 3, true},
	}
	ops := modelOps(t)
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			runModel(t, reqcache.Options{MaxEntries: sc.maxEntries}, ops, sc.close)
		})
	}
}

func runModel(t *testing.T, opts reqcache.Options, ops int, closeHalfway bool) {
	const goroutines = 8
	db := &modelDB{}
	// writeMu[k] orders the writes of k with the primes of k, as a row lock
	// would: a prime stores the version current under the lock.
	var writeMu [4]sync.Mutex
	groupOf := func(k int64) string { return fmt.Sprint("g", k%2) }

	byID := reqcache.Cache1(Items, func(_ context.Context, k int64) (int64, error) {
		return db.version[k].Load(), nil
	}, ItemID, reqcache.IDFromParam(ItemID), reqcache.Name("byID"))
	byIDs := byID.Batch(func(_ context.Context, ks []int64) (map[int64]int64, error) {
		m := make(map[int64]int64, len(ks))
		for _, k := range ks {
			m[k] = db.version[k].Load()
		}
		return m, nil
	})
	byPair := reqcache.Cache2(Items, func(_ context.Context, k int64, _ string) (int64, error) {
		return db.version[k].Load(), nil
	}, ItemID, Group, reqcache.IDFromParam(ItemID), reqcache.Name("byPair"))
	view := reqcache.Cache1(Orders, func(ctx context.Context, k int64) (int64, error) {
		return byID.Get(ctx, k) // an order view that reads its item through the cache
	}, OrderID, reqcache.Name("view"))
	peekView := reqcache.Cache1(Orders, func(ctx context.Context, kind int) (int64, error) {
		k := int64(kind)
		if v, ok := byID.Peek(ctx, k); ok { // a view that takes a held item if any
			return v, nil
		}
		return byID.Get(ctx, k)
	}, Kind, reqcache.Name("peekView"))

	type read func(ctx context.Context, k int64) (int64, error)
	reads := []read{
		func(ctx context.Context, k int64) (int64, error) { return byID.Get(ctx, k) },
		func(ctx context.Context, k int64) (int64, error) { return byPair.Get(ctx, k, groupOf(k)) },
		func(ctx context.Context, k int64) (int64, error) { return view.Get(ctx, k) },
		func(ctx context.Context, k int64) (int64, error) { return byID.Refresh(ctx, k) },
		func(ctx context.Context, k int64) (int64, error) { return peekView.Get(ctx, int(k)) },
		func(ctx context.Context, k int64) (int64, error) {
			m, err := byIDs.Get(ctx, []int64{k, (k + 1) % 4})
			return m[k], err
		},
		func(ctx context.Context, k int64) (int64, error) {
			if v, ok := byID.Peek(ctx, k); ok {
				return v, nil
			}
			return byID.Get(ctx, k)
		},
	}
	invalidations := []func(ctx context.Context, k int64){
		func(ctx context.Context, k int64) {
			byID.Invalidate(ctx, k)
			byPair.Invalidate(ctx, k, groupOf(k))
			peekView.InvalidateAll(ctx) // peekView declares no item ID
		},
		func(ctx context.Context, k int64) { invalidate.ID(ctx, Items, k) },
		func(ctx context.Context, k int64) { mustMatch(t, ctx, ItemID.Is(k)) },
		func(ctx context.Context, k int64) { mustMatch(t, ctx, Group.Is(groupOf(k))) },
		func(ctx context.Context, k int64) { invalidate.Region(ctx, Items) },
		func(ctx context.Context, k int64) { invalidate.All(ctx) },
	}

	ctx, c := reqcache.ScopeWithOptions(context.Background(), opts)
	defer c.Close()
	perG := max(ops/goroutines, 1)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seed := uint64(g)
			rng := rand.New(rand.NewPCG(seed, 42))
			for op := range perG {
				if closeHalfway && g == 0 && op == perG/2 {
					c.Close()
				}
				k := rng.Int64N(int64(len(db.version)))
				switch r := rng.IntN(8); {
				case r == 0: // a write, and its invalidation
					writeMu[k].Lock()
					w := db.version[k].Add(1)
					invalidations[rng.IntN(len(invalidations))](ctx, k)
					db.raiseFloor(k, w)
					writeMu[k].Unlock()
					continue
				case r == 1: // a write that primes the new value
					writeMu[k].Lock()
					w := db.version[k].Add(1)
					invalidate.ID(ctx, Items, k)
					byID.Prime(ctx, k, w)
					db.raiseFloor(k, w)
					writeMu[k].Unlock()
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
	s := c.Stats()
	if s.Hits == 0 || s.Invalidated == 0 {
		t.Errorf("Stats() = %+v; want hits and invalidations: the test exercised nothing", s)
	}
	if opts.MaxEntries > 0 && !closeHalfway {
		if s.Evicted == 0 || s.Entries > int64(opts.MaxEntries) {
			t.Errorf("Stats() = %+v; want evictions, at most %d entries", s, opts.MaxEntries)
		}
	}
	if closeHalfway && s.Entries != 0 {
		t.Errorf("Stats().Entries after Close = %d; want 0", s.Entries)
	}
}

func mustMatch(t *testing.T, ctx context.Context, conds ...region.Cond) {
	if _, err := invalidate.Match(ctx, Items, conds...); err != nil {
		t.Errorf("Match(%v) error = %v", conds, err)
	}
}
