package bench

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/graph-gophers/dataloader/v7"
	"github.com/maypok86/otter/v2"
	"github.com/reqcache/reqcache/reqcache"
	"github.com/viccon/sturdyc"
	"github.com/vikstrous/dataloadgen"
	"golang.org/x/sync/singleflight"
)

// A requestPeer is one way to cache the reads of a request.
//
// Every peer but reqcache keeps its per-request cache in a local variable;
// reqcache finds its cache in the context, as its API requires, and pays
// for that lookup on every read. Peers whose per-request state the compiler
// can keep on the stack pay nothing for it, though a real per-request cache
// lives in the request's context, on the heap. Both make the comparison
// harder for reqcache, not easier.
type requestPeer struct {
	name string
	// setup makes what the peer shares between requests, and returns the
	// function that runs one whole request: make the per-request cache,
	// read keys[i] into out[i] for every i, end the request.
	setup func(load loadFunc) func(keys []int64, out []Customer)
}

// requestPeers are the peers of BenchmarkRequest, fastest expected first.
var requestPeers = []requestPeer{
	{"reqcache", reqcacheRequest},
	{"mapmutex", mapMutexRequest},
	{"syncmap", syncMapRequest},
	{"singleflight", singleflightRequest},
	{"otter-pooled-raw", otterPooledRawRequest},
	{"otter-shared-raw", otterSharedRawRequest},
	{"sturdyc", sturdycRequest},
	{"otter-per-request", otterPerRequestRequest},
	{"dataloadgen", dataloadgenRequest},
	{"dataloader", dataloaderRequest},
}

// BenchmarkRequest measures one whole request per peer: make the
// per-request cache, 20 reads over 5 distinct keys, end the request.
func BenchmarkRequest(b *testing.B) {
	for _, p := range roundOrder(b, requestPeers) {
		b.Run(p.name, func(b *testing.B) {
			run := p.setup(loadCustomer)
			out := make([]Customer, len(requestKeys))
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				run(requestKeys, out)
			}
			cpu.stop(b)
			sinkCustomer = out[len(out)-1]
		})
	}
}

// reqcacheRequest reads through a cached method, in a cache made by Scope
// and ended by Close.
func reqcacheRequest(load loadFunc) func([]int64, []Customer) {
	byID := reqcache.Cache1(Customers, load, CustomerID, reqcache.IDFromParam(CustomerID))
	return func(keys []int64, out []Customer) {
		ctx, c := reqcache.Scope(context.Background())
		for i, k := range keys {
			out[i], _ = byID.Get(ctx, k)
		}
		c.Close()
	}
}

// mapCache is the floor of any design: a map behind a mutex, with no bound,
// no invalidation and no stats. Loads run under the lock, which makes them
// single flight by serializing every read of the request.
type mapCache struct {
	mu sync.Mutex
	m  map[int64]Customer
}

func newMapCache() *mapCache { return &mapCache{m: map[int64]Customer{}} }

func (c *mapCache) get(ctx context.Context, k int64, load loadFunc) (Customer, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.m[k]; ok {
		return v, nil
	}
	v, err := load(ctx, k)
	if err == nil {
		c.m[k] = v
	}
	return v, err
}

func mapMutexRequest(load loadFunc) func([]int64, []Customer) {
	return func(keys []int64, out []Customer) {
		ctx := context.Background()
		c := newMapCache()
		for i, k := range keys {
			out[i], _ = c.get(ctx, k, load)
		}
	}
}

// syncMapGet reads k through m. sync.Map has no single flight: goroutines
// that miss together all load, and the first store wins.
func syncMapGet(ctx context.Context, m *sync.Map, k int64, load loadFunc) (Customer, error) {
	if v, ok := m.Load(k); ok {
		return v.(Customer), nil
	}
	v, err := load(ctx, k)
	if err != nil {
		return v, err
	}
	actual, _ := m.LoadOrStore(k, v)
	return actual.(Customer), nil
}

func syncMapRequest(load loadFunc) func([]int64, []Customer) {
	return func(keys []int64, out []Customer) {
		ctx := context.Background()
		var m sync.Map
		for i, k := range keys {
			out[i], _ = syncMapGet(ctx, &m, k, load)
		}
	}
}

// singleflightCache is a map behind a mutex, with a singleflight.Group for
// the loads. The Group keys by string, so a miss formats its key.
type singleflightCache struct {
	g  singleflight.Group
	mu sync.Mutex
	m  map[int64]Customer
}

func newSingleflightCache() *singleflightCache {
	return &singleflightCache{m: map[int64]Customer{}}
}

func (c *singleflightCache) lookup(k int64) (Customer, bool) {
	c.mu.Lock()
	v, ok := c.m[k]
	c.mu.Unlock()
	return v, ok
}

func (c *singleflightCache) get(ctx context.Context, k int64, load loadFunc) (Customer, error) {
	if v, ok := c.lookup(k); ok {
		return v, nil
	}
	r, err, _ := c.g.Do(strconv.FormatInt(k, 10), func() (any, error) {
		// A load that ended between the lookup and Do stored its value.
		if v, ok := c.lookup(k); ok {
			return v, nil
		}
		v, err := load(ctx, k)
		if err == nil {
			c.mu.Lock()
			c.m[k] = v
			c.mu.Unlock()
		}
		return v, err
	})
	v, _ := r.(Customer)
	return v, err
}

func singleflightRequest(load loadFunc) func([]int64, []Customer) {
	return func(keys []int64, out []Customer) {
		ctx := context.Background()
		c := newSingleflightCache()
		for i, k := range keys {
			out[i], _ = c.get(ctx, k, load)
		}
	}
}

// otterPooledRawRequest is the engine's floor, the cheapest honest use of
// otter for a request: one otter cache taken from a pool, read with direct
// GetIfPresent and, on a miss, the load and a SetIfAbsent (no single
// flight, no helper, no loader object), cleared with InvalidateAll at the
// end of the request and put back. Pooling breaks isolation for a
// goroutine that outlives its request, which is why reqcache does not pool.
//
// The value is stored by pointer, as a *Customer, and copied out at each
// read: that costs an allocation per load, and is still cheaper than
// storing the Customer inline, whose reads otter copies under a version
// check (BENCHMARKS.md has the measurement). Every raw-otter baseline
// stores its values so.
func otterPooledRawRequest(load loadFunc) func([]int64, []Customer) {
	pool := sync.Pool{New: func() any { return otter.Must(&otter.Options[int64, *Customer]{}) }}
	return func(keys []int64, out []Customer) {
		ctx := context.Background()
		c := pool.Get().(*otter.Cache[int64, *Customer])
		for i, k := range keys {
			p, ok := c.GetIfPresent(k)
			if !ok {
				v, err := load(ctx, k)
				if err != nil {
					out[i] = v
					continue
				}
				p, _ = c.SetIfAbsent(k, &v)
			}
			out[i] = *p
		}
		c.InvalidateAll()
		pool.Put(c)
	}
}

// requestKey is a key of a cache shared by every request.
type requestKey struct {
	req uint64
	id  int64
}

// otterSharedRawRequest keys one otter cache shared by every request with
// the request's number, reads it as otterPooledRawRequest does, and
// invalidates the keys it stored at the end: the shape of reqcache's own
// store.
func otterSharedRawRequest(load loadFunc) func([]int64, []Customer) {
	c := otter.Must(&otter.Options[requestKey, *Customer]{})
	var reqs atomic.Uint64
	return func(keys []int64, out []Customer) {
		ctx := context.Background()
		req := reqs.Add(1)
		var buf [8]requestKey
		stored := buf[:0]
		for i, k := range keys {
			key := requestKey{req, k}
			p, ok := c.GetIfPresent(key)
			if !ok {
				v, err := load(ctx, k)
				if err != nil {
					out[i] = v
					continue
				}
				if p, ok = c.SetIfAbsent(key, &v); ok {
					stored = append(stored, key)
				}
			}
			out[i] = *p
		}
		for _, key := range stored {
			c.Invalidate(key)
		}
	}
}

// sturdycRequest keys one sturdyc client shared by every request with a
// prefix of the request's number, and deletes the request's keys at its end.
// sturdyc keys by string, so every read formats its key, in a buffer on the
// stack: one allocation, for the string.
func sturdycRequest(load loadFunc) func([]int64, []Customer) {
	sc := newSturdyc()
	var reqs atomic.Uint64
	return func(keys []int64, out []Customer) {
		r := newSturdycRequest(sc, reqs.Add(1), load)
		for i, k := range keys {
			out[i], _ = r.get(context.Background(), k)
		}
		r.end()
	}
}

// newSturdyc returns a client for the benchmarks: no TTL eviction goroutine,
// and room for far more than the keys of the requests in flight.
func newSturdyc() *sturdyc.Client[Customer] {
	return sturdyc.New[Customer](100_000, 8, time.Hour, 10, sturdyc.WithNoContinuousEvictions())
}

// sturdycReq is one request's view of a shared sturdyc client.
type sturdycReq struct {
	c      *sturdyc.Client[Customer]
	load   loadFunc
	prefix []byte
	mu     sync.Mutex
	keys   []string // the keys the request loaded, to delete at its end
}

func newSturdycRequest(c *sturdyc.Client[Customer], req uint64, load loadFunc) *sturdycReq {
	prefix := strconv.AppendUint(make([]byte, 0, 24), req, 10)
	return &sturdycReq{c: c, load: load, prefix: append(prefix, ':')}
}

func (r *sturdycReq) get(ctx context.Context, k int64) (Customer, error) {
	var buf [48]byte
	key := string(strconv.AppendInt(append(buf[:0], r.prefix...), k, 10))
	// A hit takes the plain Get, so that it builds no fetch function; a
	// miss goes through GetOrFetch, which is single flight.
	if v, ok := r.c.Get(key); ok {
		return v, nil
	}
	return r.c.GetOrFetch(ctx, key, func(ctx context.Context) (Customer, error) {
		r.mu.Lock()
		r.keys = append(r.keys, key)
		r.mu.Unlock()
		return r.load(ctx, k)
	})
}

func (r *sturdycReq) end() {
	for _, key := range r.keys {
		r.c.Delete(key)
	}
}

// otterPerRequestRequest makes a new otter cache for every request, and
// reads through its Get with a loader, which is single flight.
func otterPerRequestRequest(load loadFunc) func([]int64, []Customer) {
	loader := otter.LoaderFunc[int64, Customer](load)
	return func(keys []int64, out []Customer) {
		ctx := context.Background()
		c := otter.Must(&otter.Options[int64, Customer]{})
		for i, k := range keys {
			out[i], _ = c.Get(ctx, k, loader)
		}
	}
}

// batchFetch turns a read of one key into the batch function of
// dataloadgen.
func batchFetch(load loadFunc) func(context.Context, []int64) ([]Customer, []error) {
	return func(ctx context.Context, keys []int64) ([]Customer, []error) {
		vs := make([]Customer, len(keys))
		var errs []error
		for i, k := range keys {
			v, err := load(ctx, k)
			if err != nil {
				if errs == nil {
					errs = make([]error, len(keys))
				}
				errs[i] = err
			}
			vs[i] = v
		}
		return vs, errs
	}
}

// newDataloadgen returns a loader for one request. Its reads come one after
// the other, so no batch could fill: WithWait(0) keeps a read from sleeping
// out the 16 ms default batch window.
func newDataloadgen(load loadFunc) *dataloadgen.Loader[int64, Customer] {
	return dataloadgen.NewLoader(batchFetch(load), dataloadgen.WithWait(0))
}

// dataloadgenRequest makes a loader for every request.
func dataloadgenRequest(load loadFunc) func([]int64, []Customer) {
	return func(keys []int64, out []Customer) {
		ctx := context.Background()
		l := newDataloadgen(load)
		for i, k := range keys {
			out[i], _ = l.Load(ctx, k)
		}
	}
}

// batchResults turns a read of one key into the batch function of
// dataloader.
func batchResults(load loadFunc) dataloader.BatchFunc[int64, Customer] {
	return func(ctx context.Context, keys []int64) []*dataloader.Result[Customer] {
		rs := make([]*dataloader.Result[Customer], len(keys))
		for i, k := range keys {
			v, err := load(ctx, k)
			rs[i] = &dataloader.Result[Customer]{Data: v, Error: err}
		}
		return rs
	}
}

// newDataloader returns a loader for one request. Its reads come one after
// the other, so no batch could fill: a batch capacity of 1 runs each load at
// once instead of after the 16 ms default batch window.
func newDataloader(load loadFunc) *dataloader.Loader[int64, Customer] {
	return dataloader.NewBatchedLoader(batchResults(load), dataloader.WithBatchCapacity[int64, Customer](1))
}

// dataloaderRequest makes a loader for every request.
func dataloaderRequest(load loadFunc) func([]int64, []Customer) {
	return func(keys []int64, out []Customer) {
		ctx := context.Background()
		l := newDataloader(load)
		for i, k := range keys {
			out[i], _ = l.Load(ctx, k)()
		}
	}
}
