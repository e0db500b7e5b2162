package bench

import (
	"context"
	"testing"

	"github.com/reqcache/reqcache/reqcache"
)

// BenchmarkOneMiss measures a request that makes one cached call, a miss,
// and ends: reqcache.Scope, one Get of a Cache1 method with IDFromParam,
// Close (reqcache), against the same read without a cache, a direct call
// of the repository function (direct). The difference is what a
// request-scoped cache costs a route whose reads do not repeat.
func BenchmarkOneMiss(b *testing.B) {
	runCases(b, []benchCase{
		{"reqcache", func(b *testing.B) {
			byID := reqcache.Cache1(Customers, loadCustomer, CustomerID, reqcache.IDFromParam(CustomerID))
			bg := context.Background()
			var v Customer
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				ctx, c := reqcache.Scope(bg)
				v, _ = byID.Get(ctx, hitKey)
				c.Close()
			}
			cpu.stop(b)
			sinkCustomer = v
		}},
		{"direct", func(b *testing.B) {
			ctx := context.Background()
			var v Customer
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				v, _ = loadCustomer(ctx, hitKey)
			}
			cpu.stop(b)
			sinkCustomer = v
		}},
	})
}
