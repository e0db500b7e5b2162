package bench

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/maypok86/otter/v2"
	"github.com/maypok86/otter/v2/stats"
)

// An otterVariant is one way to use one otter cache shared by every
// request, as reqcache's engine does: which options the cache is made
// with, and how a read goes.
type otterVariant struct {
	name string
	opts func() *otter.Options[requestKey, Customer]
	// get reads key through c, loading it with load on a miss.
	get func(ctx context.Context, c *otter.Cache[requestKey, Customer], key requestKey, load otter.Loader[requestKey, Customer]) Customer
}

// getIfPresentSet reads with GetIfPresent, and on a miss loads and Sets:
// no single flight, which reqcache builds on its own.
func getIfPresentSet(ctx context.Context, c *otter.Cache[requestKey, Customer], key requestKey, load otter.Loader[requestKey, Customer]) Customer {
	if v, ok := c.GetIfPresent(key); ok {
		return v
	}
	v, err := load.Load(ctx, key)
	if err == nil {
		c.Set(key, v)
	}
	return v
}

// getLoader reads with otter's single-flight Get and a loader.
func getLoader(ctx context.Context, c *otter.Cache[requestKey, Customer], key requestKey, load otter.Loader[requestKey, Customer]) Customer {
	v, _ := c.Get(ctx, key, load)
	return v
}

// getIfPresentThenLoader tries GetIfPresent first, and takes otter's Get
// with a loader only on a miss.
func getIfPresentThenLoader(ctx context.Context, c *otter.Cache[requestKey, Customer], key requestKey, load otter.Loader[requestKey, Customer]) Customer {
	if v, ok := c.GetIfPresent(key); ok {
		return v
	}
	v, _ := c.Get(ctx, key, load)
	return v
}

func unbounded() *otter.Options[requestKey, Customer] { return &otter.Options[requestKey, Customer]{} }

// otterVariants are the variants of BenchmarkOtterOptions. The first is
// how reqcache uses otter: unbounded, GetIfPresent and Set (SetIfAbsent in
// reqcache), no stats.
var otterVariants = []otterVariant{
	{"unbounded/getifpresent-set", unbounded, getIfPresentSet},
	{"unbounded/get-loader", unbounded, getLoader},
	{"unbounded/getifpresent-then-get-loader", unbounded, getIfPresentThenLoader},
	{"maxsize-sync/getifpresent-set", func() *otter.Options[requestKey, Customer] {
		return &otter.Options[requestKey, Customer]{MaximumSize: 100_000, Executor: func(fn func()) { fn() }}
	}, getIfPresentSet},
	{"maxsize-async/getifpresent-set", func() *otter.Options[requestKey, Customer] {
		return &otter.Options[requestKey, Customer]{MaximumSize: 100_000}
	}, getIfPresentSet},
	{"stats/getifpresent-set", func() *otter.Options[requestKey, Customer] {
		return &otter.Options[requestKey, Customer]{StatsRecorder: stats.NewCounter()}
	}, getIfPresentSet},
}

// otterVariantRequest returns the function that runs one request through
// one shared cache of the variant: 20 reads over 5 distinct keys, keyed by
// the request's number, then an Invalidate of each of the 5 keys.
func otterVariantRequest(v otterVariant, load loadFunc) func(keys []int64, out []Customer) {
	c := otter.Must(v.opts())
	loader := otter.LoaderFunc[requestKey, Customer](func(ctx context.Context, key requestKey) (Customer, error) {
		return load(ctx, key.id)
	})
	var reqs atomic.Uint64
	return func(keys []int64, out []Customer) {
		ctx := context.Background()
		req := reqs.Add(1)
		for i, k := range keys {
			out[i] = v.get(ctx, c, requestKey{req, k}, loader)
		}
		for _, k := range keys[:distinctRequestKeys] {
			c.Invalidate(requestKey{req, k})
		}
	}
}

// distinctRequestKeys is the number of distinct keys of requestKeys, which
// are its first ones.
const distinctRequestKeys = 5

// BenchmarkOtterOptions measures what otter's own single flight, size
// bound and stats would cost reqcache per request: one request of
// BenchmarkRequest's shape through one otter cache shared by every request,
// with each variant's options and reads.
func BenchmarkOtterOptions(b *testing.B) {
	for _, v := range roundOrder(b, otterVariants) {
		b.Run(v.name, func(b *testing.B) {
			run := otterVariantRequest(v, loadCustomer)
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

// TestOtterVariants checks that every variant reads the right values and
// loads each key once per request.
func TestOtterVariants(t *testing.T) {
	if distinct(requestKeys) != distinctRequestKeys || distinct(requestKeys[:distinctRequestKeys]) != distinctRequestKeys {
		t.Fatalf("the first %d request keys are not its distinct keys", distinctRequestKeys)
	}
	for _, v := range otterVariants {
		t.Run(v.name, func(t *testing.T) {
			var loads atomic.Int64
			run := otterVariantRequest(v, countingLoad(&loads))
			for req := range 2 {
				out := make([]Customer, len(requestKeys))
				run(requestKeys, out)
				checkReads(t, requestKeys, out)
				if got := loads.Swap(0); got != distinctRequestKeys {
					t.Errorf("request %d: %d loads; want %d", req, got, distinctRequestKeys)
				}
			}
		})
	}
}
