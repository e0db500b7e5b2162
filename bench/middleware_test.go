package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/reqcache/reqcache/middleware"
	"github.com/reqcache/reqcache/reqcache"
)

// A middlewareCase is one router of BenchmarkMiddleware.
type middlewareCase struct {
	name string
	// router returns the router of the case, whose GET /customers/{id}
	// reads through load.
	router func(load loadFunc) http.Handler
}

// middlewareCases are the cases of BenchmarkMiddleware.
var middlewareCases = []middlewareCase{
	{"none", func(loadFunc) http.Handler { return chiRouter(nil, okHandler) }},
	{"reqcache", func(loadFunc) http.Handler {
		return chiRouter(middleware.RequestCache(middleware.Options{}), okHandler)
	}},
	{"withvalue", func(loadFunc) http.Handler { return chiRouter(withValue, okHandler) }},
	{"reqcache-20reads", func(load loadFunc) http.Handler {
		byID := reqcache.Cache1(Customers, load, CustomerID, reqcache.IDFromParam(CustomerID))
		return chiRouter(middleware.RequestCache(middleware.Options{}), readsHandler(byID))
	}},
}

// chiRouter returns a chi router that serves GET /customers/{id} with h,
// behind mw if it is not nil.
func chiRouter(mw func(http.Handler) http.Handler, h http.HandlerFunc) http.Handler {
	r := chi.NewRouter()
	if mw != nil {
		r.Use(mw)
	}
	r.Get("/customers/{id}", h)
	return r
}

// middlewareKey is the context key of withValue.
type middlewareKey struct{}

// withValue is the smallest middleware that puts a value of its own in the
// request's context, and marks it at the end: the request copy, the context
// node and the value, 3 allocations. It is the reference DESIGN.md scales
// RequestCache's cost against.
func withValue(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := &struct{ ended bool }{}
		defer func() { v.ended = true }()
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), middlewareKey{}, v)))
	})
}

// okHandler answers 200 without touching the cache.
func okHandler(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }

// readsHandler answers 200 after the reads of one request: 20 reads over 5
// distinct keys through byID, with the request's context.
func readsHandler(byID *reqcache.Func1[int64, Customer]) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		for _, k := range requestKeys {
			v, err := byID.Get(ctx, k)
			if err != nil || v.ID != k {
				http.Error(w, "bad read", http.StatusInternalServerError)
				return
			}
		}
		w.WriteHeader(http.StatusOK)
	}
}

// BenchmarkMiddleware measures one request through a chi router in
// process: httptest.NewRecorder and router.ServeHTTP, with no middleware
// (none), with middleware.RequestCache and a handler that does not touch the
// cache (reqcache), with the smallest context middleware instead, for scale
// (withvalue), and with RequestCache and a handler that makes the 20 reads
// of BenchmarkRequest (reqcache-20reads). The request is made once; the
// recorder, as a server's response, once per request.
func BenchmarkMiddleware(b *testing.B) {
	for _, mc := range roundOrder(b, middlewareCases) {
		b.Run(mc.name, func(b *testing.B) {
			h := mc.router(loadCustomer)
			req := httptest.NewRequest(http.MethodGet, "/customers/42", nil)
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
			cpu.stop(b)
		})
	}
}

// TestMiddlewareCases checks that every case of BenchmarkMiddleware answers
// 200, and that reqcache-20reads loads each of its keys once per request.
func TestMiddlewareCases(t *testing.T) {
	for _, mc := range middlewareCases {
		t.Run(mc.name, func(t *testing.T) {
			var loads atomic.Int64
			h := mc.router(countingLoad(&loads))
			for req := range 2 {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/customers/"+strconv.Itoa(req), nil))
				if w.Code != http.StatusOK {
					t.Fatalf("request %d: status %d", req, w.Code)
				}
				want := int64(0)
				if mc.name == "reqcache-20reads" {
					want = int64(distinct(requestKeys))
				}
				if got := loads.Swap(0); got != want {
					t.Errorf("request %d: %d loads; want %d", req, got, want)
				}
			}
		})
	}
}
