package bench

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/maypok86/otter/v2"
	"github.com/reqcache/reqcache/reqcache"
)

// closeSizes are the numbers of entries of BenchmarkClose.
var closeSizes = []int{1, 5, 50, 500, 5000}

// A closePeer is one way to end a request that holds entries.
type closePeer struct {
	name string
	// setup makes what the peer shares between requests, and returns the
	// function that makes a request holding the n values of vs and returns
	// its end, and a count of the entries the request holds, for tests.
	setup func(vs []Customer) (fill func() (end func(), entries func() int))
}

// closePeers are the peers of BenchmarkClose.
var closePeers = []closePeer{
	{"reqcache", reqcacheClose},
	{"otter-invalidate", otterInvalidateClose},
	{"otter-clear", otterClearClose},
}

// BenchmarkClose measures the end of a request that holds n entries:
// reqcache's Close (reqcache), against what it replaces in raw otter: one
// Invalidate of each of the request's n keys in an otter cache shared by
// every request (otter-invalidate), or the InvalidateAll of a pooled otter
// cache that holds them, and its return to the pool (otter-clear). Only
// the end is timed: the requests are filled while the timer is stopped, in
// batches of about 1,000 entries, the heap is collected, and then the
// requests are ended one after the other.
func BenchmarkClose(b *testing.B) {
	var cases []benchCase
	for _, n := range closeSizes {
		vs := make([]Customer, n)
		for i := range vs {
			vs[i], _ = loadCustomer(context.Background(), int64(i))
		}
		for _, p := range closePeers {
			cases = append(cases, benchCase{fmt.Sprintf("entries=%d/%s", n, p.name), func(b *testing.B) {
				benchmarkClose(b, p.setup(vs), max(1, 1000/n))
			}})
		}
	}
	runCases(b, cases)
}

func benchmarkClose(b *testing.B, fill func() (func(), func() int), batch int) {
	ends := make([]func(), 0, batch)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU()
	for done := 0; done < b.N; done += len(ends) {
		cpu.pause() // before StopTimer, which reads the memory stats
		b.StopTimer()
		ends = ends[:0]
		for range min(batch, b.N-done) {
			end, _ := fill()
			ends = append(ends, end)
		}
		runtime.GC() // so that no collection of the filling runs during the ends
		b.StartTimer()
		cpu.resume()
		for _, end := range ends {
			end()
		}
	}
	cpu.stop(b)
}

// reqcacheClose fills a request's cache through a Cache1 method, and ends
// it with Close.
func reqcacheClose(vs []Customer) func() (func(), func() int) {
	byID := reqcache.Cache1(Customers, loadCustomer, CustomerID, reqcache.IDFromParam(CustomerID))
	return func() (func(), func() int) {
		ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{MaxEntries: len(vs)})
		for i := range vs {
			byID.Prime(ctx, int64(i), vs[i])
		}
		return c.Close, func() int { return int(c.Stats().Entries) }
	}
}

// otterInvalidateClose fills one otter cache shared by every request with
// the request's keys, and removes them one by one at its end.
func otterInvalidateClose(vs []Customer) func() (func(), func() int) {
	c := otter.Must(&otter.Options[requestKey, *Customer]{})
	var reqs atomic.Uint64
	return func() (func(), func() int) {
		req := reqs.Add(1)
		for i := range vs {
			c.SetIfAbsent(requestKey{req, int64(i)}, &vs[i])
		}
		end := func() {
			for i := range vs {
				c.Invalidate(requestKey{req, int64(i)})
			}
		}
		entries := func() int {
			n := 0
			for i := range vs {
				if _, ok := c.GetIfPresent(requestKey{req, int64(i)}); ok {
					n++
				}
			}
			return n
		}
		return end, entries
	}
}

// otterClearClose fills a pooled otter cache, and clears it with
// InvalidateAll at the end, as otterPooledRawRequest does.
func otterClearClose(vs []Customer) func() (func(), func() int) {
	pool := sync.Pool{New: func() any { return otter.Must(&otter.Options[int64, *Customer]{}) }}
	return func() (func(), func() int) {
		c := pool.Get().(*otter.Cache[int64, *Customer])
		for i := range vs {
			c.SetIfAbsent(int64(i), &vs[i])
		}
		end := func() {
			c.InvalidateAll()
			pool.Put(c)
		}
		return end, c.EstimatedSize
	}
}

// TestClosePeers checks that each peer of BenchmarkClose fills a request
// with its n entries, and that its end removes them.
func TestClosePeers(t *testing.T) {
	vs := make([]Customer, 5)
	for i := range vs {
		vs[i], _ = loadCustomer(context.Background(), int64(i))
	}
	for _, p := range closePeers {
		t.Run(p.name, func(t *testing.T) {
			fill := p.setup(vs)
			for req := range 3 {
				end, entries := fill()
				if got := entries(); got != len(vs) {
					t.Fatalf("request %d: %d entries after filling; want %d", req, got, len(vs))
				}
				end()
				if got := entries(); got != 0 {
					t.Fatalf("request %d: %d entries after the end; want 0", req, got)
				}
			}
		})
	}
}
