package reqcache_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/reqcache"
)

// TestIssue7_5_FullCacheKeepsSingleFlight asks for one key from 8
// goroutines at once in a full cache. On 341d319 a full cache admitted no
// new entry, so single flight was skipped and the loader ran 8 times.
func TestIssue7_5_FullCacheKeepsSingleFlight(t *testing.T) {
	g := newGate()
	fn, loads := counted(func(id int64) (int64, error) { return id, nil })
	byID := reqcache.Cache1(Items, func(ctx context.Context, id int64) (int64, error) {
		if id == 1 {
			g.wait()
		}
		return fn(ctx, id)
	}, ItemID, reqcache.Name("evict-flight"))
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{MaxEntries: 2})
	defer c.Close()
	for id := int64(10); id < 14; id++ {
		if _, err := byID.Get(ctx, id); err != nil {
			t.Fatalf("Get(%d) error = %v", id, err)
		}
	}
	waiting, restore := reqcache.OnWaiting()
	defer restore()
	loads.Store(0)
	const n = 8
	got := make(chan int64, n)
	go func() { v, _ := byID.Get(ctx, 1); got <- v }()
	<-g.started
	for range n - 1 {
		go func() { v, _ := byID.Get(ctx, 1); got <- v }()
		<-waiting
	}
	close(g.open)
	for range n {
		if v := <-got; v != 1 {
			t.Errorf("Get(1) = %d; want 1", v)
		}
	}
	if l := loads.Load(); l != 1 {
		t.Errorf("loads of key 1 by %d goroutines in a full cache = %d; want 1", n, l)
	}
}

// TestIssue7_5_HotKeyKeepsHitting reads a hot key between reads of ever new
// keys in a small cache. On 341d319 the full cache stored nothing new and
// the hot key, once out, reloaded on every call; now eviction takes the
// least recently used entries and counts them.
func TestIssue7_5_HotKeyKeepsHitting(t *testing.T) {
	fn, loads := counted(func(id int64) (int64, error) { return id, nil })
	byID := reqcache.Cache1(Items, fn, ItemID, reqcache.Name("evict-hot"))
	const max, churn = 4, 200
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{MaxEntries: max})
	defer c.Close()
	for id := int64(1000); id < 1000+churn; id++ {
		if v, err := byID.Get(ctx, 0); err != nil || v != 0 {
			t.Fatalf("Get(0) = %d, %v; want 0", v, err)
		}
		if v, err := byID.Get(ctx, id); err != nil || v != id {
			t.Fatalf("Get(%d) = %d, %v; want %d", id, v, err, id)
		}
	}
	if l := loads.Load(); l != churn+1 {
		t.Errorf("loads = %d; want %d (the hot key once, each other key once)", l, churn+1)
	}
	s := c.Stats()
	if s.Entries > max || s.Evicted != churn+1-s.Entries {
		t.Errorf("Stats() = %+v; want at most %d entries and %d evicted", s, max, churn+1-s.Entries)
	}
	if s.Hits != churn-1 {
		t.Errorf("Stats().Hits = %d; want %d", s.Hits, churn-1)
	}
}

// TestIssue7_5_EvictedEntryLeavesEveryIndex evicts indexed entries and
// checks that no invalidation finds them and that the index shrinks with
// them. On 341d319 there was no eviction to test; its index kept the
// chains of removed entries.
func TestIssue7_5_EvictedEntryLeavesEveryIndex(t *testing.T) {
	byID := reqcache.Cache1(Items, func(_ context.Context, id int64) (item, error) {
		return itemOf(id)
	}, ItemID, reqcache.IDFromParam(ItemID), reqcache.Name("evict-index"))
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{MaxEntries: 2})
	defer c.Close()
	invalidate.ID(ctx, Items, -1) // builds the indexes
	for id := range int64(100) {
		if _, err := byID.Get(ctx, id); err != nil {
			t.Fatalf("Get(%d) error = %v", id, err)
		}
	}
	s := c.Stats()
	if s.Entries != 2 || s.Evicted != 98 {
		t.Fatalf("Stats() = %+v; want 2 entries, 98 evicted", s)
	}
	if n := invalidate.ID(ctx, Items, 5); n != 0 {
		t.Errorf("invalidate.ID(5) of an evicted entry = %d; want 0", n)
	}
	if n, err := invalidate.Match(ctx, Items, ItemID.Is(6)); err != nil || n != 0 {
		t.Errorf("Match(itemID=6) of an evicted entry = %d, %v; want 0", n, err)
	}
	// Each live entry is in two chains: its ID's and its itemID's.
	if n := reqcache.IndexLen(c); n > 2*2 {
		t.Errorf("index chains with 2 live entries = %d; want at most 4", n)
	}
}

// TestBatch_HotKeyKeepsHitting is TestIssue7_5_HotKeyKeepsHitting for the
// ways a batch method answers from the cache: without a lock, under the
// lock (with a safety net on), and gathered by Coalesce. On 51be319 a
// batch hit did not mark its entry used, so eviction took the
// hot key as if it were cold and the batch function loaded it again.
func TestBatch_HotKeyKeepsHitting(t *testing.T) {
	get := func(ctx context.Context, b *reqcache.Batch[int64, int64], k int64) (int64, error) {
		m, err := b.Get(ctx, []int64{k})
		return m[k], err
	}
	getOne := func(ctx context.Context, b *reqcache.Batch[int64, int64], k int64) (int64, error) {
		return b.GetOne(ctx, k)
	}
	tests := []struct {
		name     string
		opts     reqcache.Options
		coalesce bool
		get      func(context.Context, *reqcache.Batch[int64, int64], int64) (int64, error)
	}{
		{"Get", reqcache.Options{}, false, get},
		{"Get under the lock", reqcache.Options{Explain: true}, false, get},
		{"GetOne", reqcache.Options{}, false, getOne},
		{"GetOne gathered", reqcache.Options{}, true, getOne},
		{"GetOne gathered under the lock", reqcache.Options{Explain: true}, true, getOne},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var loads atomic.Int64
			var opts []reqcache.Option
			if tt.coalesce {
				opts = append(opts, reqcache.Coalesce(reqcache.Coalescing{Wait: time.Nanosecond}))
			}
			b := reqcache.CacheBatch(Items, func(_ context.Context, ids []int64) (map[int64]int64, error) {
				loads.Add(int64(len(ids)))
				m := make(map[int64]int64, len(ids))
				for _, id := range ids {
					m[id] = id
				}
				return m, nil
			}, opts...)
			const max, churn = 4, 200
			tt.opts.MaxEntries = max
			ctx, c := reqcache.ScopeWithOptions(context.Background(), tt.opts)
			defer c.Close()
			for id := int64(1000); id < 1000+churn; id++ {
				for _, k := range []int64{0, id} {
					if v, err := tt.get(ctx, b, k); err != nil || v != k {
						t.Fatalf("get(%d) = %d, %v; want %d", k, v, err, k)
					}
				}
			}
			if l := loads.Load(); l != churn+1 {
				t.Errorf("keys loaded = %d; want %d (the hot key once, each other key once)", l, churn+1)
			}
		})
	}
}
