package reqcache_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/reqcache"
)

// longScope is a job that holds one Scope for many rounds of reads and
// invalidations, with at most two live entries at any time.
type longScope struct {
	name  string
	round func(ctx context.Context, i int64) error
}

func longScopes() []longScope {
	inner := reqcache.Cache1(Items, func(_ context.Context, id int64) (int64, error) {
		return id, nil
	}, ItemID, reqcache.IDFromParam(ItemID), reqcache.Name("long-inner"))
	outer := reqcache.Cache1(Orders, func(ctx context.Context, id int64) (int64, error) {
		return inner.Get(ctx, id)
	}, OrderID, reqcache.Name("long-outer"))
	return []longScope{
		{"nested get+invalidate", func(ctx context.Context, i int64) error {
			if _, err := outer.Get(ctx, i); err != nil {
				return err
			}
			inner.Invalidate(ctx, i)
			return nil
		}},
		{"get+invalidate.ID", func(ctx context.Context, i int64) error {
			if _, err := inner.Get(ctx, i); err != nil {
				return err
			}
			invalidate.ID(ctx, Items, i)
			return nil
		}},
		{"get+invalidate.Match", func(ctx context.Context, i int64) error {
			if _, err := inner.Get(ctx, i); err != nil {
				return err
			}
			_, err := invalidate.Match(ctx, Items, ItemID.Is(i))
			return err
		}},
	}
}

func heapAlloc() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// runLongScope runs rounds of s in one Scope and returns the heap growth.
func runLongScope(s longScope, rounds int64) (growth int64, entries int64, err error) {
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	for i := range int64(1000) { // warm up: tables and indexes at their size
		if err := s.round(ctx, i); err != nil {
			return 0, 0, err
		}
	}
	before := heapAlloc()
	for i := range rounds {
		if err := s.round(ctx, 1000+i); err != nil {
			return 0, 0, err
		}
	}
	after := heapAlloc()
	runtime.KeepAlive(ctx)
	return int64(after) - int64(before), c.Stats().Entries, nil
}

// TestIssue7_4_LongScopeBoundedHeap runs 100k rounds of each long-scope job.
// On 341d319 the heap grew with the rounds: an inner entry's dependents
// list kept the removed outer entries (64 MiB for 50k nested rounds), and
// index keys whose chains were empty were never deleted (27 MiB for 300k
// rounds of invalidate.ID, 19 MiB for 100k of Match). Now it must grow by
// less than 1 MiB.
func TestIssue7_4_LongScopeBoundedHeap(t *testing.T) {
	const rounds, limit = 100_000, 1 << 20
	for _, s := range longScopes() {
		t.Run(s.name, func(t *testing.T) {
			growth, entries, err := runLongScope(s, rounds)
			if err != nil {
				t.Fatalf("round error = %v", err)
			}
			if growth >= limit {
				t.Errorf("heap growth over %d rounds = %d bytes; want < %d", rounds, growth, limit)
			}
			if entries > 2 {
				t.Errorf("Stats().Entries = %d; want at most 2", entries)
			}
		})
	}
}

// BenchmarkLongScope runs the long-scope jobs for 1M rounds each per
// iteration and reports the heap growth, which must stay under 1 MiB:
//
//	go test -run '^$' -bench BenchmarkLongScope -benchtime 1x ./reqcache
func BenchmarkLongScope(b *testing.B) {
	const rounds, limit = 1_000_000, 1 << 20
	for _, s := range longScopes() {
		b.Run(s.name, func(b *testing.B) {
			for b.Loop() {
				growth, _, err := runLongScope(s, rounds)
				if err != nil {
					b.Fatalf("round error = %v", err)
				}
				b.ReportMetric(float64(growth), "heap-growth-B")
				if growth >= limit {
					b.Errorf("heap growth over %d rounds = %d bytes; want < %d", rounds, growth, limit)
				}
			}
		})
	}
}
