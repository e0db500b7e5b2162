// Package bench holds the benchmarks of reqcache against its peers: the
// cheapest honest use of raw otter (its engine), the map floor, sync.Map,
// singleflight, sturdyc and two dataloaders; a request, a hit, a request
// with one miss, the end of a request, concurrent requests, a fan-out and a
// batch fan-out; invalidation; the middleware's cost in a chi router; and
// what otter's own loader, size bound and stats would cost. It is a module
// of its own, so that the library's go.mod gains none of the peers.
//
// Every benchmark reports cpu-ns/op, the process's CPU time per op, beside
// the wall time, and shuffles its cases when go test's -shuffle is set.
// Run them from the repository root with the scripts beside this file:
//
//	bench/measure.sh -n 10 '^BenchmarkRequest$' Request/reqcache:Request/otter-pooled-raw
//	bench/callgrind.sh Request/reqcache Request/otter-pooled-raw
//
// measure.sh runs interleaved, shuffled rounds and prints per-round paired
// ratios (with cmd/ratios); callgrind.sh counts instructions per op.
// cmd/loadgen drives the example app over loopback with its cache on and
// off. BENCHMARKS.md has the method, the results and the commands that
// produced them.
package bench
