package bench

import (
	"context"
	"testing"

	"github.com/maypok86/otter/v2"
	"github.com/reqcache/reqcache/reqcache"
)

// hitKey is the key every hit benchmark reads.
const hitKey = 1000

// BenchmarkHit measures one read of a key the cache already holds:
// reqcache's Get, otter's GetIfPresent of a value stored by pointer,
// copied out, and the locked map.
func BenchmarkHit(b *testing.B) {
	runCases(b, []benchCase{
		{"reqcache", func(b *testing.B) {
			ctx, byID := reqcacheHit(b)
			b.ReportAllocs()
			var v Customer
			cpu := startCPU()
			for b.Loop() {
				v, _ = byID.Get(ctx, hitKey)
			}
			cpu.stop(b)
			sinkCustomer = v
		}},
		{"otter-raw", func(b *testing.B) {
			c := otterHit()
			b.ReportAllocs()
			var v Customer
			cpu := startCPU()
			for b.Loop() {
				p, _ := c.GetIfPresent(hitKey)
				v = *p
			}
			cpu.stop(b)
			sinkCustomer = v
		}},
		{"mapmutex", func(b *testing.B) {
			ctx := context.Background()
			c := newMapCache()
			v, _ := c.get(ctx, hitKey, loadCustomer)
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				v, _ = c.get(ctx, hitKey, loadCustomer)
			}
			cpu.stop(b)
			sinkCustomer = v
		}},
	})
}

// reqcacheHit returns a context whose cache holds hitKey, and the method
// that holds it. The cache is closed when b ends.
func reqcacheHit(b *testing.B) (context.Context, *reqcache.Func1[int64, Customer]) {
	byID := reqcache.Cache1(Customers, loadCustomer, CustomerID, reqcache.IDFromParam(CustomerID))
	ctx, c := reqcache.Scope(context.Background())
	b.Cleanup(c.Close)
	if _, err := byID.Get(ctx, hitKey); err != nil {
		b.Fatal(err)
	}
	return ctx, byID
}

// otterHit returns an otter cache that holds hitKey, by pointer, as every
// raw-otter baseline stores its values (see otterPooledRawRequest).
func otterHit() *otter.Cache[int64, *Customer] {
	c := otter.Must(&otter.Options[int64, *Customer]{})
	v, _ := loadCustomer(context.Background(), hitKey)
	c.Set(hitKey, &v)
	return c
}

// BenchmarkHitParallel measures the hit of BenchmarkHit from GOMAXPROCS
// goroutines at once, all reading the same key of one cache, as the
// goroutines of one request would: otter's hits take no lock, the map's
// take its mutex. cpu-ns/op is the CPU time of all the goroutines per hit.
func BenchmarkHitParallel(b *testing.B) {
	runCases(b, []benchCase{
		{"reqcache", func(b *testing.B) {
			ctx, byID := reqcacheHit(b)
			b.ReportAllocs()
			cpu := startCPU()
			b.RunParallel(func(pb *testing.PB) {
				var v Customer
				for pb.Next() {
					v, _ = byID.Get(ctx, hitKey)
				}
				_ = v
			})
			cpu.stop(b)
		}},
		{"otter-raw", func(b *testing.B) {
			c := otterHit()
			b.ReportAllocs()
			cpu := startCPU()
			b.RunParallel(func(pb *testing.PB) {
				var v Customer
				for pb.Next() {
					p, _ := c.GetIfPresent(hitKey)
					v = *p
				}
				_ = v
			})
			cpu.stop(b)
		}},
		{"mapmutex", func(b *testing.B) {
			ctx := context.Background()
			c := newMapCache()
			_, _ = c.get(ctx, hitKey, loadCustomer)
			b.ReportAllocs()
			cpu := startCPU()
			b.RunParallel(func(pb *testing.PB) {
				var v Customer
				for pb.Next() {
					v, _ = c.get(ctx, hitKey, loadCustomer)
				}
				_ = v
			})
			cpu.stop(b)
		}},
	})
}
