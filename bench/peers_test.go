package bench

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/reqcache/reqcache/reqcache"
)

// countingLoad returns loadCustomer, counting its calls in n.
func countingLoad(n *atomic.Int64) loadFunc {
	return func(ctx context.Context, id int64) (Customer, error) {
		n.Add(1)
		return loadCustomer(ctx, id)
	}
}

// distinct returns the number of distinct keys.
func distinct(keys []int64) int {
	seen := map[int64]bool{}
	for _, k := range keys {
		seen[k] = true
	}
	return len(seen)
}

func checkReads(t *testing.T, keys []int64, out []Customer) {
	t.Helper()
	for i, k := range keys {
		if want, _ := loadCustomer(context.Background(), k); out[i] != want {
			t.Fatalf("read %d of key %d = %+v; want %+v", i, k, out[i], want)
		}
	}
}

// TestRequestPeers checks that every peer of BenchmarkRequest reads the
// right values, loads each key once per request, and keeps nothing from one
// request for the next.
func TestRequestPeers(t *testing.T) {
	for _, p := range requestPeers {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			var loads atomic.Int64
			run := p.setup(countingLoad(&loads))
			for req := range 2 {
				out := make([]Customer, len(requestKeys))
				run(requestKeys, out)
				checkReads(t, requestKeys, out)
				if got, want := loads.Swap(0), int64(distinct(requestKeys)); got != want {
					t.Errorf("request %d: %d loads; want %d", req, got, want)
				}
			}
		})
	}
}

// TestFanOutPeers checks that every peer of BenchmarkFanOut reads the right
// values in every goroutine, and loads each key once per request: single
// flight. sturdyc may load a key again when a goroutine misses it just as
// another's load of it ends; raw otter, whenever goroutines miss together.
func TestFanOutPeers(t *testing.T) {
	for _, p := range fanOutPeers {
		if p.name == "goroutines" {
			continue
		}
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			var loads atomic.Int64
			run := p.setup(countingLoad(&loads))
			for req := range 20 {
				out := newFanOutResults()
				run(fanOutKeys, out)
				for w := range out {
					checkReads(t, fanOutKeys, out[w])
				}
				got, want := loads.Swap(0), int64(distinct(fanOutKeys))
				if got < want || (got > want && p.name != "sturdyc" && p.name != "otter-pooled-raw") {
					t.Fatalf("request %d: %d loads; want %d", req, got, want)
				}
			}
		})
	}
}

// TestInvalidationModes checks that each mode of BenchmarkInvalidate
// removes what it says, and puts it back.
func TestInvalidationModes(t *testing.T) {
	const n = 10
	for _, m := range invalidationModes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{MaxEntries: -1})
			defer c.Close()
			inv, put := m.setup(ctx, n)
			entries := func() int64 { return c.Stats().Entries }
			if got := entries(); got != n {
				t.Fatalf("after setup: %d entries; want %d", got, n)
			}
			want := 1
			if m.whole {
				want = n
			}
			for round := range 2 { // the first builds the indexes, the second uses them
				if got := inv(3); got != want {
					t.Fatalf("round %d: inv(3) removed %d entries; want %d", round, got, want)
				}
				if got := entries(); got != int64(n-want) {
					t.Fatalf("round %d: after inv(3): %d entries; want %d", round, got, n-want)
				}
				if m.whole {
					for i := range n {
						put(i)
					}
				} else {
					put(3)
				}
				if got := entries(); got != n {
					t.Fatalf("round %d: after put: %d entries; want %d", round, got, n)
				}
			}
		})
	}
}
