package reqcache_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/maypok86/otter/v2"
	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

type benchCustomer struct {
	ID      int64
	Name    string
	PreName string
	Email   string
}

var (
	benchCustomers  = region.New[benchCustomer, int64]("benchCustomer")
	benchCustomerID = region.NewParam[int64]("customerID")
)

func loadBenchCustomer(_ context.Context, id int64) (benchCustomer, error) {
	return benchCustomer{ID: id, Name: "Ann", PreName: "Smith"}, nil
}

// requestKeys are the reads of one request: 20 reads over 5 distinct keys.
var requestKeys = func() []int64 {
	k := make([]int64, 20)
	for i := range k {
		k[i] = int64(1000 + i%5)
	}
	return k
}()

var sinkCustomer benchCustomer

// BenchmarkRequest measures one whole unit of work: make the cache, 20 reads
// over 5 keys through a cached method, close the cache.
func BenchmarkRequest(b *testing.B) {
	b.Run("reqcache", func(b *testing.B) {
		byID := reqcache.Cache1(benchCustomers, loadBenchCustomer, benchCustomerID, reqcache.IDFromParam(benchCustomerID))
		b.ReportAllocs()
		for b.Loop() {
			ctx, c := reqcache.Scope(context.Background())
			for _, k := range requestKeys {
				sinkCustomer, _ = byID.Get(ctx, k)
			}
			c.Close()
		}
	})
	b.Run("otter-pooled-raw", func(b *testing.B) {
		pool := sync.Pool{New: func() any { return otter.Must(&otter.Options[int64, benchCustomer]{}) }}
		b.ReportAllocs()
		for b.Loop() {
			c := pool.Get().(*otter.Cache[int64, benchCustomer])
			for _, k := range requestKeys {
				v, ok := c.GetIfPresent(k)
				if !ok {
					v, _ = loadBenchCustomer(context.Background(), k)
					c.Set(k, v)
				}
				sinkCustomer = v
			}
			c.InvalidateAll()
			pool.Put(c)
		}
	})
	b.Run("otter-shared-raw", func(b *testing.B) {
		type key struct {
			req uint64
			id  int64
		}
		c := otter.Must(&otter.Options[key, benchCustomer]{})
		var req uint64
		b.ReportAllocs()
		for b.Loop() {
			req++
			for _, k := range requestKeys {
				v, ok := c.GetIfPresent(key{req, k})
				if !ok {
					v, _ = loadBenchCustomer(context.Background(), k)
					c.Set(key{req, k}, v)
				}
				sinkCustomer = v
			}
			for _, k := range requestKeys[:5] {
				c.Invalidate(key{req, k})
			}
		}
	})
}

// BenchmarkHit measures one read of a key the cache holds.
func BenchmarkHit(b *testing.B) {
	b.Run("reqcache", func(b *testing.B) {
		byID := reqcache.Cache1(benchCustomers, loadBenchCustomer, benchCustomerID)
		ctx, c := reqcache.Scope(context.Background())
		defer c.Close()
		_, _ = byID.Get(ctx, 1)
		b.ReportAllocs()
		for b.Loop() {
			sinkCustomer, _ = byID.Get(ctx, 1)
		}
	})
	b.Run("otter-raw", func(b *testing.B) {
		c := otter.Must(&otter.Options[int64, benchCustomer]{})
		c.Set(1, benchCustomer{ID: 1})
		b.ReportAllocs()
		for b.Loop() {
			sinkCustomer, _ = c.GetIfPresent(1)
		}
	})
}

// BenchmarkMiss measures one read of a key the cache does not hold: the
// load of a free function and storing its result. The cache is replaced
// every 1000 reads, outside the timer, so that it stays small.
func BenchmarkMiss(b *testing.B) {
	byID := reqcache.Cache1(benchCustomers, loadBenchCustomer, benchCustomerID, reqcache.IDFromParam(benchCustomerID))
	ctx, c := reqcache.Scope(context.Background())
	b.ReportAllocs()
	i := int64(0)
	for b.Loop() {
		sinkCustomer, _ = byID.Get(ctx, i)
		if i++; i%1000 == 0 {
			b.StopTimer()
			c.Close()
			ctx, c = reqcache.Scope(context.Background())
			b.StartTimer()
		}
	}
	c.Close()
}

// BenchmarkInvalidateByID measures an invalidation by unique ID that removes
// one entry, in a cache of n entries, then puts the entry back with Prime
// (timed as well). The cost is O(entries removed): what grows with n is the
// memory the entries occupy, not the work.
func BenchmarkInvalidateByID(b *testing.B) {
	for _, n := range []int{10, 1000, 100_000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			byID := reqcache.Cache1(benchCustomers, loadBenchCustomer, benchCustomerID, reqcache.IDFromParam(benchCustomerID))
			ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{MaxEntries: -1})
			defer c.Close()
			for i := range int64(n) {
				sinkCustomer, _ = byID.Get(ctx, i)
			}
			invalidate.ID(ctx, benchCustomers, 0) // builds the indexes
			byID.Prime(ctx, 0, benchCustomer{})
			b.ReportAllocs()
			i := int64(0)
			for b.Loop() {
				if invalidate.ID(ctx, benchCustomers, i) != 1 {
					b.Fatalf("invalidate.ID(%d) did not remove one entry", i)
				}
				byID.Prime(ctx, i, benchCustomer{ID: i})
				i = (i + 1) % int64(n)
			}
		})
	}
}

// BenchmarkHitParallel measures a read of a key the cache holds, by every
// core at once, as goroutines of one request would.
func BenchmarkHitParallel(b *testing.B) {
	byID := reqcache.Cache1(benchCustomers, loadBenchCustomer, benchCustomerID)
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	_, _ = byID.Get(ctx, 1)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var v benchCustomer
		for pb.Next() {
			v, _ = byID.Get(ctx, 1)
		}
		sinkParallel.Store(v.ID)
	})
}

var sinkParallel atomic.Int64
