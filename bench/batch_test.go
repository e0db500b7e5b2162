package bench

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/graph-gophers/dataloader/v7"
	"github.com/reqcache/reqcache/reqcache"
	"github.com/vikstrous/dataloadgen"
)

const (
	// batchGoroutines is the number of goroutines of one request in
	// BenchmarkBatchConcurrent, each of which loads one key.
	batchGoroutines = 64
	// batchKeys is the number of distinct keys they load.
	batchKeys = 16
)

// batchKey returns the key that goroutine g of a request loads: the keys
// repeat, 4 goroutines each.
func batchKey(g int) int64 { return int64(1000 + g%batchKeys) }

// batchFunc is the signature of a repository's batch read.
type batchFunc = func(ctx context.Context, ids []int64) (map[int64]Customer, error)

// loadCustomers is a free batch read: the value of each id.
func loadCustomers(ctx context.Context, ids []int64) (map[int64]Customer, error) {
	m := make(map[int64]Customer, len(ids))
	for _, id := range ids {
		m[id], _ = loadCustomer(ctx, id)
	}
	return m, nil
}

// A batchPeer is one way to load the keys of a request's goroutines
// through a batch read.
type batchPeer struct {
	name string
	// setup makes what the peer shares between requests, and returns the
	// function that runs one whole request: make the per-request loader,
	// start len(out) goroutines, the g-th of which loads batchKey(g) into
	// out[g], wait for them, end the request.
	setup func(fetch batchFunc) func(out []Customer)
}

// batchPeers are the peers of BenchmarkBatchConcurrent. goroutines is no
// peer: it starts and waits for the goroutines and loads nothing.
var batchPeers = []batchPeer{
	{"goroutines", goroutinesBatch},
	{"reqcache", reqcacheBatch},
	{"dataloadgen", dataloadgenBatch},
	{"dataloader", dataloaderBatch},
}

// BenchmarkBatchConcurrent measures one request whose 64 goroutines each
// load one key out of 16 through a batch read: make the per-request loader,
// start the goroutines, wait for them, end the request. The dataloaders
// gather the 16 keys into one batch, which they send as soon as it holds 16
// keys (their batch window, 16 ms, is never waited out).
func BenchmarkBatchConcurrent(b *testing.B) {
	for _, p := range roundOrder(b, batchPeers) {
		b.Run(p.name, func(b *testing.B) {
			run := p.setup(loadCustomers)
			out := make([]Customer, batchGoroutines)
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				run(out)
			}
			cpu.stop(b)
			sinkCustomer = out[len(out)-1]
		})
	}
}

// batchOut runs load(g) on len(out) goroutines, g = 0, 1, ..., each of
// which stores its result in out[g], and waits for them.
func batchOut(out []Customer, load func(g int) Customer) {
	var wg sync.WaitGroup
	for g := range out {
		wg.Go(func() { out[g] = load(g) })
	}
	wg.Wait()
}

func goroutinesBatch(batchFunc) func([]Customer) {
	return func(out []Customer) {
		batchOut(out, func(g int) Customer { return Customer{ID: batchKey(g)} })
	}
}

// reqcacheBatchOptions are the options of the reqcache peer's batch
// method: it gathers the concurrent GetOne calls of a request into one call
// of the batch read, as the dataloaders do, with their window and batch
// capacity.
var reqcacheBatchOptions = []reqcache.Option{
	reqcache.Coalesce(reqcache.Coalescing{Wait: 16 * time.Millisecond, MaxKeys: batchKeys}),
}

// reqcacheBatch loads through the GetOne of a single-key method's batch
// method (Func1.Batch), which fills the entries that method reads, as a
// repository declares it.
func reqcacheBatch(fetch batchFunc) func([]Customer) {
	byID := reqcache.Cache1(Customers, loadCustomer, CustomerID, reqcache.IDFromParam(CustomerID))
	byIDs := byID.Batch(fetch, reqcacheBatchOptions...)
	return func(out []Customer) {
		ctx, c := reqcache.Scope(context.Background())
		batchOut(out, func(g int) Customer {
			v, _ := byIDs.GetOne(ctx, batchKey(g))
			return v
		})
		c.Close()
	}
}

// dataloadgenBatch loads through a dataloadgen loader made per request,
// whose batch holds the 16 keys.
func dataloadgenBatch(fetch batchFunc) func([]Customer) {
	return func(out []Customer) {
		ctx := context.Background()
		l := dataloadgen.NewMappedLoader(fetch, dataloadgen.WithBatchCapacity(batchKeys))
		batchOut(out, func(g int) Customer {
			v, _ := l.Load(ctx, batchKey(g))
			return v
		})
	}
}

// mappedResults turns a batch read into the batch function of dataloader.
func mappedResults(fetch batchFunc) dataloader.BatchFunc[int64, Customer] {
	return func(ctx context.Context, keys []int64) []*dataloader.Result[Customer] {
		m, err := fetch(ctx, keys)
		rs := make([]*dataloader.Result[Customer], len(keys))
		for i, k := range keys {
			v, ok := m[k]
			switch {
			case err != nil:
				rs[i] = &dataloader.Result[Customer]{Error: err}
			case !ok:
				rs[i] = &dataloader.Result[Customer]{Error: reqcache.ErrNotFound}
			default:
				rs[i] = &dataloader.Result[Customer]{Data: v}
			}
		}
		return rs
	}
}

// dataloaderBatch loads through a dataloader v7 loader made per request,
// whose batch holds the 16 keys.
func dataloaderBatch(fetch batchFunc) func([]Customer) {
	return func(out []Customer) {
		ctx := context.Background()
		l := dataloader.NewBatchedLoader(mappedResults(fetch), dataloader.WithBatchCapacity[int64, Customer](batchKeys))
		batchOut(out, func(g int) Customer {
			v, _ := l.Load(ctx, batchKey(g))()
			return v
		})
	}
}

// TestBatchPeers checks that every peer of BenchmarkBatchConcurrent gives
// each goroutine the value of its key, and loads each of the 16 keys once
// per request, in as many batch reads as it needs.
func TestBatchPeers(t *testing.T) {
	for _, p := range batchPeers[1:] {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			var calls, keys atomic.Int64
			fetch := func(ctx context.Context, ids []int64) (map[int64]Customer, error) {
				calls.Add(1)
				keys.Add(int64(len(ids)))
				return loadCustomers(ctx, ids)
			}
			run := p.setup(fetch)
			for req := range 10 {
				out := make([]Customer, batchGoroutines)
				run(out)
				for g, v := range out {
					if want, _ := loadCustomer(context.Background(), batchKey(g)); v != want {
						t.Fatalf("request %d: goroutine %d read %+v; want %+v", req, g, v, want)
					}
				}
				if got := keys.Swap(0); got != batchKeys {
					t.Errorf("request %d: %d keys loaded; want %d", req, got, batchKeys)
				}
				if got := calls.Swap(0); got < 1 || got > batchKeys {
					t.Errorf("request %d: %d batch reads; want 1 to %d", req, got, batchKeys)
				}
			}
		})
	}
}
