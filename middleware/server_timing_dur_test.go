package middleware_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/middleware"
	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// queryTime is how long a load of slowRepo takes at least: the time its
// database would spend on the query.
const queryTime = time.Millisecond

var (
	orders  = region.New[string, int64]("Order")
	orderID = region.NewParam[int64]("orderID")
)

// slowRepo loads orders that take queryTime each, as a database query would.
type slowRepo struct {
	byID *reqcache.Func1[int64, string]
}

func newSlowRepo() *slowRepo {
	return &slowRepo{byID: reqcache.Cache1(orders, func(_ context.Context, id int64) (string, error) {
		time.Sleep(queryTime)
		return "order", nil
	}, orderID, reqcache.IDFromParam(orderID), reqcache.Name("GetOrder"))}
}

// recorder is an Observer that records what it sees.
type recorder struct {
	starts, ends, invalidations, closes atomic.Int64
	total                               atomic.Int64 // of LoadResult.Duration, in nanoseconds
}

type recorderKey struct{}

func (o *recorder) StartLoad(ctx context.Context, _ reqcache.Load) (context.Context, func(reqcache.LoadResult)) {
	o.starts.Add(1)
	return context.WithValue(ctx, recorderKey{}, o), func(r reqcache.LoadResult) {
		o.ends.Add(1)
		o.total.Add(int64(r.Duration))
	}
}

func (o *recorder) Invalidated(context.Context, reqcache.Invalidation) { o.invalidations.Add(1) }
func (o *recorder) Closed(*reqcache.Cache)                             { o.closes.Add(1) }

// millis is d in milliseconds, rounded to the microsecond as dur is.
func millis(d time.Duration) float64 {
	return float64(d.Round(time.Microsecond).Microseconds()) / 1000
}

func TestServerTiming_Dur(t *testing.T) {
	repo := newSlowRepo()
	h := withTiming(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, id := range []int64{1, 2, 1, 2, 3} {
			if _, err := repo.byID.Get(r.Context(), id); err != nil {
				panic(err)
			}
		}
	}))
	start := time.Now()
	rec := serve(h, "GET", "/")
	wall := time.Since(start)

	dur, entry := durOf(t, rec.Header().Get("Server-Timing"))
	if want := `reqcache;dur=…;desc="hits=2 misses=3 loads=3"`; entry != want {
		t.Errorf("Server-Timing = %q; want %q", entry, want)
	}
	// Three loads, one after the other: at least three queries long, and
	// no longer than the request.
	if lo, hi := millis(3*queryTime), millis(wall); dur < lo || dur > hi {
		t.Errorf("dur = %vms; want between %vms (3 loads) and %vms (the request)", dur, lo, hi)
	}
}

// Loads that run at the same time each count: dur is their sum.
func TestServerTiming_DurConcurrent(t *testing.T) {
	const n = 4
	var obs recorder
	started := make(chan struct{}, n)
	release := make(chan struct{})
	blocked := reqcache.Cache1(orders, func(_ context.Context, id int64) (string, error) {
		started <- struct{}{}
		<-release
		time.Sleep(queryTime)
		return "order", nil
	}, orderID, reqcache.IDFromParam(orderID), reqcache.Name("GetBlockedOrder"))
	h := middleware.RequestCache(middleware.Options{ServerTiming: true, Observer: &obs})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var wg sync.WaitGroup
			for id := range int64(n) {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, _ = blocked.Get(r.Context(), id)
				}()
			}
			for range n { // all n loads are under way at once
				<-started
			}
			close(release)
			wg.Wait()
		}))
	rec := serve(h, "GET", "/")

	dur, entry := durOf(t, rec.Header().Get("Server-Timing"))
	if want := `reqcache;dur=…;desc="hits=0 misses=4 loads=4"`; entry != want {
		t.Errorf("Server-Timing = %q; want %q", entry, want)
	}
	if want := millis(time.Duration(obs.total.Load())); dur != want {
		t.Errorf("dur = %vms; want %vms, the sum of the loads' durations", dur, want)
	}
	if lo := millis(n * queryTime); dur < lo {
		t.Errorf("dur = %vms; want at least %vms (%d loads)", dur, lo, n)
	}
}

// The Observer of Options sees every load, invalidation and end, with or
// without the Server-Timing entry, and its StartLoad's context reaches the
// loads.
func TestServerTiming_Observer(t *testing.T) {
	for _, timed := range []bool{true, false} {
		t.Run(map[bool]string{true: "timed", false: "untimed"}[timed], func(t *testing.T) {
			var obs recorder
			sawCtx := 0
			repo := &slowRepo{byID: reqcache.Cache1(orders, func(ctx context.Context, id int64) (string, error) {
				if ctx.Value(recorderKey{}) == &obs {
					sawCtx++
				}
				return "order", nil
			}, orderID, reqcache.IDFromParam(orderID), reqcache.Name("GetOrderCtx"))}
			h := middleware.RequestCache(middleware.Options{
				ServerTiming:    true,
				ServerTimingFor: func(*http.Request) bool { return timed },
				Observer:        &obs,
			})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = repo.byID.Get(r.Context(), 1)
				_, _ = repo.byID.Get(r.Context(), 2)
				invalidate.ID(r.Context(), orders, 1)
				_, _ = repo.byID.Get(r.Context(), 1)
			}))
			rec := serve(h, "GET", "/")

			for _, c := range []struct {
				name      string
				got, want int64
			}{
				{"StartLoad calls", obs.starts.Load(), 3},
				{"end calls", obs.ends.Load(), 3},
				{"Invalidated calls", obs.invalidations.Load(), 1},
				{"Closed calls", obs.closes.Load(), 1},
				{"loads run with StartLoad's context", int64(sawCtx), 3},
			} {
				if c.got != c.want {
					t.Errorf("%s = %d; want %d", c.name, c.got, c.want)
				}
			}
			if !timed {
				if v := rec.Header().Values("Server-Timing"); v != nil {
					t.Errorf("Server-Timing = %q; want none", v)
				}
				return
			}
			dur, entry := durOf(t, rec.Header().Get("Server-Timing"))
			if want := `reqcache;dur=…;desc="hits=0 misses=3 loads=3"`; entry != want {
				t.Errorf("Server-Timing = %q; want %q", entry, want)
			}
			if want := millis(time.Duration(obs.total.Load())); dur != want {
				t.Errorf("dur = %vms; want %vms, the sum the Observer saw", dur, want)
			}
		})
	}
}

func TestServerTiming_For(t *testing.T) {
	debug := func(r *http.Request) bool { return r.Header.Get("X-Debug") == "1" }
	tests := []struct {
		name       string
		header     string
		wantTiming bool
	}{
		{"picked", "1", true},
		{"not picked", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got http.ResponseWriter
			var s seen
			h := middleware.RequestCache(middleware.Options{ServerTiming: true, ServerTimingFor: debug})(
				s.handler(reads(newRepo(), func(w http.ResponseWriter, _ *http.Request) { got = w }, 1, 1)))
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("GET", "/", nil)
			if tt.header != "" {
				req.Header.Set("X-Debug", tt.header)
			}
			h.ServeHTTP(rec, req)

			if s.cache == nil {
				t.Fatalf("handler has no cache; want one either way")
			}
			if wrapped := got != http.ResponseWriter(rec); wrapped != tt.wantTiming {
				t.Errorf("handler's ResponseWriter wrapped = %v; want %v", wrapped, tt.wantTiming)
			}
			v := rec.Header().Values("Server-Timing")
			if !tt.wantTiming {
				if v != nil {
					t.Errorf("Server-Timing = %q; want none", v)
				}
				return
			}
			if got, want := timing(t, rec.Header()), `reqcache;dur=…;desc="hits=1 misses=1 loads=1"`; got != want {
				t.Errorf("Server-Timing = %q; want %q", got, want)
			}
		})
	}
}

func TestRequestCache_ServerTimingForWithoutServerTiming(t *testing.T) {
	const want = "middleware: RequestCache: Options.ServerTimingFor is set but Options.ServerTiming is false"
	defer func() {
		if got := recover(); got != want {
			t.Errorf("RequestCache panic = %v; want %q", got, want)
		}
	}()
	middleware.RequestCache(middleware.Options{ServerTimingFor: func(*http.Request) bool { return true }})
}
