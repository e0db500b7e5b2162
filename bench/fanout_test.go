package bench

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/maypok86/otter/v2"
	"github.com/reqcache/reqcache/reqcache"
)

// A fanOutPeer is one way to cache the reads of a request whose goroutines
// read the same keys at the same time, and so need single flight.
type fanOutPeer struct {
	name string
	// setup makes what the peer shares between requests, and returns the
	// function that runs one whole request: make the per-request cache,
	// start len(out) goroutines, the w-th of which reads keys[i] into
	// out[w][i] for every i, wait for them, end the request.
	setup func(load loadFunc) func(keys []int64, out [][]Customer)
}

// fanOutPeers are the peers of BenchmarkFanOut: those that load a key once
// for the goroutines that ask for it together, and raw otter, which does
// not (see otterPooledRawFanOut). goroutines is no peer: it starts and
// waits for the goroutines and reads nothing, the cost every peer pays on
// top of its reads.
var fanOutPeers = []fanOutPeer{
	{"goroutines", goroutinesFanOut},
	{"reqcache", reqcacheFanOut},
	{"otter-pooled-raw", otterPooledRawFanOut},
	{"mapmutex", mapMutexFanOut},
	{"singleflight", singleflightFanOut},
	{"sturdyc", sturdycFanOut},
	{"dataloadgen", dataloadgenFanOut},
	{"dataloader", dataloaderFanOut},
}

// BenchmarkFanOut measures one request whose 8 goroutines read the same 5
// keys concurrently: make the per-request cache, start the goroutines, wait
// for them, end the request.
func BenchmarkFanOut(b *testing.B) {
	for _, p := range roundOrder(b, fanOutPeers) {
		b.Run(p.name, func(b *testing.B) {
			run := p.setup(loadCustomer)
			out := newFanOutResults()
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				run(fanOutKeys, out)
			}
			cpu.stop(b)
			sinkCustomer = out[len(out)-1][len(fanOutKeys)-1]
		})
	}
}

// newFanOutResults returns where the goroutines of a fan-out request put
// what they read.
func newFanOutResults() [][]Customer {
	out := make([][]Customer, fanOutWorkers)
	for w := range out {
		out[w] = make([]Customer, len(fanOutKeys))
	}
	return out
}

// fanOut runs read(w) on len(out) goroutines, w = 0, 1, ..., and waits
// for them.
func fanOut(out [][]Customer, read func(w int)) {
	var wg sync.WaitGroup
	for w := range out {
		wg.Go(func() { read(w) })
	}
	wg.Wait()
}

var fanOutSink atomic.Int64

func goroutinesFanOut(loadFunc) func([]int64, [][]Customer) {
	return func(keys []int64, out [][]Customer) {
		fanOut(out, func(w int) { fanOutSink.Add(int64(w)) })
	}
}

func reqcacheFanOut(load loadFunc) func([]int64, [][]Customer) {
	byID := reqcache.Cache1(Customers, load, CustomerID, reqcache.IDFromParam(CustomerID))
	return func(keys []int64, out [][]Customer) {
		ctx, c := reqcache.Scope(context.Background())
		fanOut(out, func(w int) {
			for i, k := range keys {
				out[w][i], _ = byID.Get(ctx, k)
			}
		})
		c.Close()
	}
}

// otterPooledRawFanOut reads as otterPooledRawRequest does, from every
// goroutine: the cheapest use of otter, with no single flight, so
// goroutines that miss a key together all load it, and the first
// SetIfAbsent wins. With the free loader of the benchmarks, that costs
// less than waiting would; with a database it would not.
func otterPooledRawFanOut(load loadFunc) func([]int64, [][]Customer) {
	pool := sync.Pool{New: func() any { return otter.Must(&otter.Options[int64, *Customer]{}) }}
	return func(keys []int64, out [][]Customer) {
		ctx := context.Background()
		c := pool.Get().(*otter.Cache[int64, *Customer])
		fanOut(out, func(w int) {
			for i, k := range keys {
				p, ok := c.GetIfPresent(k)
				if !ok {
					v, err := load(ctx, k)
					if err != nil {
						out[w][i] = v
						continue
					}
					p, _ = c.SetIfAbsent(k, &v)
				}
				out[w][i] = *p
			}
		})
		c.InvalidateAll()
		pool.Put(c)
	}
}

func mapMutexFanOut(load loadFunc) func([]int64, [][]Customer) {
	return func(keys []int64, out [][]Customer) {
		ctx := context.Background()
		c := newMapCache()
		fanOut(out, func(w int) {
			for i, k := range keys {
				out[w][i], _ = c.get(ctx, k, load)
			}
		})
	}
}

func singleflightFanOut(load loadFunc) func([]int64, [][]Customer) {
	return func(keys []int64, out [][]Customer) {
		ctx := context.Background()
		c := newSingleflightCache()
		fanOut(out, func(w int) {
			for i, k := range keys {
				out[w][i], _ = c.get(ctx, k, load)
			}
		})
	}
}

func sturdycFanOut(load loadFunc) func([]int64, [][]Customer) {
	sc := newSturdyc()
	var reqs atomic.Uint64
	return func(keys []int64, out [][]Customer) {
		ctx := context.Background()
		r := newSturdycRequest(sc, reqs.Add(1), load)
		fanOut(out, func(w int) {
			for i, k := range keys {
				out[w][i], _ = r.get(ctx, k)
			}
		})
		r.end()
	}
}

func dataloadgenFanOut(load loadFunc) func([]int64, [][]Customer) {
	return func(keys []int64, out [][]Customer) {
		ctx := context.Background()
		l := newDataloadgen(load)
		fanOut(out, func(w int) {
			for i, k := range keys {
				out[w][i], _ = l.Load(ctx, k)
			}
		})
	}
}

func dataloaderFanOut(load loadFunc) func([]int64, [][]Customer) {
	return func(keys []int64, out [][]Customer) {
		ctx := context.Background()
		l := newDataloader(load)
		fanOut(out, func(w int) {
			for i, k := range keys {
				out[w][i], _ = l.Load(ctx, k)()
			}
		})
	}
}
