package bench

import (
	"context"
	"testing"

	"github.com/maypok86/otter/v2"
	"github.com/reqcache/reqcache/reqcache"
)

// BenchmarkHit measures one read of a key the cache already holds.
func BenchmarkHit(b *testing.B) {
	const k = 1000
	ctx := context.Background()
	b.Run("reqcache", func(b *testing.B) {
		byID := reqcache.Cache1(Customers, loadCustomer, CustomerID, reqcache.IDFromParam(CustomerID))
		ctx, c := reqcache.Scope(ctx)
		defer c.Close()
		_, _ = byID.Get(ctx, k)
		var v Customer
		b.ReportAllocs()
		for b.Loop() {
			v, _ = byID.Get(ctx, k)
		}
		sinkCustomer = v
	})
	b.Run("otter-raw", func(b *testing.B) {
		c := otter.Must(&otter.Options[int64, Customer]{})
		v, _ := loadCustomer(ctx, k)
		c.Set(k, v)
		b.ReportAllocs()
		for b.Loop() {
			v, _ = c.GetIfPresent(k)
		}
		sinkCustomer = v
	})
	b.Run("mapmutex", func(b *testing.B) {
		c := newMapCache()
		v, _ := c.get(ctx, k, loadCustomer)
		b.ReportAllocs()
		for b.Loop() {
			v, _ = c.get(ctx, k, loadCustomer)
		}
		sinkCustomer = v
	})
}

// BenchmarkHitParallel measures the hit of BenchmarkHit from GOMAXPROCS
// goroutines at once, all reading the same key of one cache, as the
// goroutines of one request would: otter's hits take no lock, the map's
// take its mutex.
func BenchmarkHitParallel(b *testing.B) {
	const k = 1000
	ctx := context.Background()
	b.Run("reqcache", func(b *testing.B) {
		byID := reqcache.Cache1(Customers, loadCustomer, CustomerID, reqcache.IDFromParam(CustomerID))
		ctx, c := reqcache.Scope(ctx)
		defer c.Close()
		_, _ = byID.Get(ctx, k)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var v Customer
			for pb.Next() {
				v, _ = byID.Get(ctx, k)
			}
			_ = v
		})
	})
	b.Run("otter-raw", func(b *testing.B) {
		c := otter.Must(&otter.Options[int64, Customer]{})
		v, _ := loadCustomer(ctx, k)
		c.Set(k, v)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var v Customer
			for pb.Next() {
				v, _ = c.GetIfPresent(k)
			}
			_ = v
		})
	})
	b.Run("mapmutex", func(b *testing.B) {
		c := newMapCache()
		_, _ = c.get(ctx, k, loadCustomer)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var v Customer
			for pb.Next() {
				v, _ = c.get(ctx, k, loadCustomer)
			}
			_ = v
		})
	})
}
