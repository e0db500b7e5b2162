package bench

import (
	"runtime"
	"slices"
	"testing"
)

// concurrentRequests is the number of requests in flight at once in
// BenchmarkConcurrentRequests.
const concurrentRequests = 64

// concurrentPeers are the peers of BenchmarkConcurrentRequests: those of
// BenchmarkRequest that keep each request's entries apart in a store that
// scales with the cores (reqcache and raw otter), and the map floor.
var concurrentPeers = slices.DeleteFunc(slices.Clone(requestPeers), func(p requestPeer) bool {
	switch p.name {
	case "reqcache", "mapmutex", "otter-pooled-raw", "otter-shared-raw":
		return false
	}
	return true
})

// BenchmarkConcurrentRequests measures the requests of BenchmarkRequest
// run by 64 goroutines at once (b.RunParallel with SetParallelism, on
// every core), each request with its own cache: a reqcache Scope, a map,
// a pooled otter cache, or its keys in one otter cache shared by all.
// ns/op is wall time per request; cpu-ns/op, the CPU time of all the
// goroutines per request.
func BenchmarkConcurrentRequests(b *testing.B) {
	procs := runtime.GOMAXPROCS(0)
	for _, p := range roundOrder(b, concurrentPeers) {
		b.Run(p.name, func(b *testing.B) {
			run := p.setup(loadCustomer)
			b.SetParallelism((concurrentRequests + procs - 1) / procs)
			b.ReportAllocs()
			cpu := startCPU()
			b.RunParallel(func(pb *testing.PB) {
				out := make([]Customer, len(requestKeys))
				for pb.Next() {
					run(requestKeys, out)
				}
			})
			cpu.stop(b)
		})
	}
}

// TestConcurrentPeers checks that the peers of BenchmarkConcurrentRequests
// are those it names, and that each reads the right values when its
// requests run at once.
func TestConcurrentPeers(t *testing.T) {
	if len(concurrentPeers) != 4 {
		t.Fatalf("%d concurrent peers; want 4", len(concurrentPeers))
	}
	for _, p := range concurrentPeers {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			run := p.setup(loadCustomer)
			done := make(chan []Customer)
			for range 8 {
				go func() {
					out := make([]Customer, len(requestKeys))
					for range 50 {
						run(requestKeys, out)
					}
					done <- out
				}()
			}
			for range 8 {
				checkReads(t, requestKeys, <-done)
			}
		})
	}
}
