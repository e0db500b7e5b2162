package bench

import (
	"context"
	"fmt"
	"testing"

	"github.com/maypok86/otter/v2"
)

// BenchmarkChurn is the reference for BenchmarkInvalidate: one removal and
// one insertion of a key among n, in a raw otter cache (the value stored by
// pointer, as in every raw-otter baseline) and in a Go map, with nothing
// else. Both are O(1); what grows from 10 to 100,000 entries
// is the cost of reaching memory that no longer fits in the CPU's caches,
// which bounds how flat any keyed invalidation can be.
func BenchmarkChurn(b *testing.B) {
	var cases []benchCase
	for _, n := range invalidationSizes {
		vs := make([]Customer, n)
		for i := range vs {
			vs[i], _ = loadCustomer(context.Background(), int64(i))
		}
		cases = append(cases, benchCase{fmt.Sprintf("otter-raw/entries=%d", n), func(b *testing.B) {
			c := otter.Must(&otter.Options[int64, *Customer]{})
			for i := range vs {
				c.Set(int64(i), &vs[i])
			}
			b.ReportAllocs()
			cpu := startCPU()
			i := 0
			for b.Loop() {
				c.Invalidate(int64(i))
				c.Set(int64(i), &vs[i])
				if i++; i == n {
					i = 0
				}
			}
			cpu.stop(b)
		}}, benchCase{fmt.Sprintf("map/entries=%d", n), func(b *testing.B) {
			m := make(map[int64]Customer, n)
			for i, v := range vs {
				m[int64(i)] = v
			}
			b.ReportAllocs()
			cpu := startCPU()
			i := 0
			for b.Loop() {
				delete(m, int64(i))
				m[int64(i)] = vs[i]
				if i++; i == n {
					i = 0
				}
			}
			cpu.stop(b)
		}})
	}
	runCases(b, cases)
}
