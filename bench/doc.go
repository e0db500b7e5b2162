// Package bench holds the benchmarks of reqcache against its peers: the
// map floor, sync.Map, singleflight, raw otter, sturdyc and two dataloaders.
// It is a module of its own, so that the library's go.mod gains none of the
// peers. Everything is in _test.go files; BENCHMARKS.md has the results and
// the commands that produced them.
//
// Run them from the repository root:
//
//	go test -run '^$' -bench . -count 10 ./bench/... | tee new.txt
//	benchstat new.txt
package bench
