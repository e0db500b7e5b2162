// Package bench holds the benchmarks of reqcache against its peers: the
// map floor, sync.Map, singleflight, raw otter, sturdyc and two dataloaders,
// the middleware's cost in a chi router, and what otter's own loader, size
// bound and stats would cost. It is a module of its own, so that the
// library's go.mod gains none of the peers. The benchmarks are in _test.go
// files; cmd/loadgen drives the example app over loopback with its cache on
// and off, and cmd/ratios turns runs into per-run paired ratios.
// BENCHMARKS.md has the results and the commands that produced them.
//
// Run them from the repository root:
//
//	go test -run '^$' -bench . -count 10 ./bench/... | tee new.txt
//	benchstat new.txt
package bench
