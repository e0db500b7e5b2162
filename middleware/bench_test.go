package middleware_test

import (
	"context"
	"github.com/reqcache/reqcache/reqcache"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/reqcache/reqcache/middleware"
)

// sink is a ResponseWriter that allocates nothing: writing the header
// clears it, as sending it would.
type sink struct {
	h     http.Header
	wrote bool
}

func (s *sink) Header() http.Header { return s.h }

func (s *sink) WriteHeader(int) {
	if !s.wrote {
		s.wrote = true
		clear(s.h)
	}
}

func (s *sink) Write(p []byte) (int, error) {
	s.WriteHeader(http.StatusOK)
	return len(p), nil
}

// BenchmarkRequestCache measures what the middleware adds to a request whose
// handler never touches the cache: compare each case with its "bare" twin.
func BenchmarkRequestCache(b *testing.B) {
	noop := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	chiWith := func(mws ...func(http.Handler) http.Handler) http.Handler {
		r := chi.NewRouter()
		r.Use(mws...)
		r.Get("/customers/{id}", noop)
		return r
	}
	cases := []struct {
		name string
		h    http.Handler
	}{
		{"bare", noop},
		{"zero-options", middleware.RequestCache(middleware.Options{})(noop)},
		{"server-timing", middleware.RequestCache(middleware.Options{ServerTiming: true})(noop)},
		{"server-timing-not-picked", middleware.RequestCache(middleware.Options{ // as zero-options, plus the call
			ServerTiming: true, ServerTimingFor: func(*http.Request) bool { return false },
		})(noop)},
		{"with-value", withValue(noop)}, // the floor of a context middleware, for scale
		{"chi/bare", chiWith()},
		{"chi/zero-options", chiWith(middleware.RequestCache(middleware.Options{}))},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/customers/42", nil)
			w := &sink{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				w.wrote = false
				bc.h.ServeHTTP(w, req)
			}
		})
	}
}

type ctxKey struct{}

// withValue is the smallest middleware that puts a value in the request's
// context and closes it at the end: the reference RequestCache is measured
// against.
func withValue(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := &struct{ closed bool }{}
		defer func() { v.closed = true }()
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, v)))
	})
}

// BenchmarkScope measures the part of RequestCache's cost that is the
// request cache's own: making one, and closing it unused.
func BenchmarkScope(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_, c := reqcache.Scope(ctx)
		c.Close()
	}
}

// BenchmarkServerTiming measures what the Server-Timing entry costs a
// request with one load and two hits: its wrapper, the entry, and the
// Observer that times the load, against the same request without it.
func BenchmarkServerTiming(b *testing.B) {
	repo := newRepo()
	h := reads(repo, nil, 1, 1, 1)
	cases := []struct {
		name string
		h    http.Handler
	}{
		{"off", middleware.RequestCache(middleware.Options{})(h)},
		{"on", middleware.RequestCache(middleware.Options{ServerTiming: true})(h)},
		{"not-picked", middleware.RequestCache(middleware.Options{
			ServerTiming: true, ServerTimingFor: func(*http.Request) bool { return false },
		})(h)},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/customers/1", nil)
			w := &sink{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				w.wrote = false
				bc.h.ServeHTTP(w, req)
			}
		})
	}
}
