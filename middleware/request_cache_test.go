package middleware_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/middleware"
	"github.com/reqcache/reqcache/reqcache"
)

// seen records the cache a handler found in its request's context.
type seen struct {
	cache  *reqcache.Cache
	closed bool // whether it was closed while the handler ran
}

func (s *seen) handler(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.cache = reqcache.FromContext(r.Context())
		s.closed = s.cache.Closed()
		if next != nil {
			next(w, r)
		}
	}
}

func serve(h http.Handler, method, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

func TestRequestCache_Mounts(t *testing.T) {
	mw := middleware.RequestCache(middleware.Options{})
	tests := []struct {
		name  string
		mount func(h http.HandlerFunc) http.Handler
	}{
		{"net/http", func(h http.HandlerFunc) http.Handler {
			mux := http.NewServeMux()
			mux.Handle("GET /customers/1", mw(h))
			return mux
		}},
		{"chi Use", func(h http.HandlerFunc) http.Handler {
			r := chi.NewRouter()
			r.Use(mw)
			r.Get("/customers/1", h)
			return r
		}},
		{"chi With", func(h http.HandlerFunc) http.Handler {
			r := chi.NewRouter()
			r.With(mw).Get("/customers/1", h)
			return r
		}},
		{"chi Group", func(h http.HandlerFunc) http.Handler {
			r := chi.NewRouter()
			r.Group(func(r chi.Router) {
				r.Use(mw)
				r.Get("/customers/1", h)
			})
			return r
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo := newRepo()
			var s seen
			rec := serve(tt.mount(s.handler(reads(repo, nil, 1, 1, 1))), "GET", "/customers/1")
			if rec.Code != http.StatusOK {
				t.Fatalf("GET /customers/1: status %d; want 200", rec.Code)
			}
			if s.cache == nil || s.closed {
				t.Fatalf("handler's cache = %p (closed %v); want an open cache", s.cache, s.closed)
			}
			if !s.cache.Closed() {
				t.Errorf("cache.Closed() after the request = false; want true")
			}
			if got := repo.db.loads.Load(); got != 1 {
				t.Errorf("loads of 3 reads of one customer = %d; want 1", got)
			}
		})
	}
}

func TestRequestCache_ChiScopes(t *testing.T) {
	mw := middleware.RequestCache(middleware.Options{})
	var with, without, grouped, outside seen
	r := chi.NewRouter()
	r.With(mw).Get("/with", with.handler(nil))
	r.Get("/without", without.handler(nil))
	r.Group(func(r chi.Router) {
		r.Use(mw)
		r.Get("/grouped", grouped.handler(nil))
	})
	r.Get("/outside", outside.handler(nil))

	tests := []struct {
		path      string
		s         *seen
		wantCache bool
	}{
		{"/with", &with, true},
		{"/without", &without, false},
		{"/grouped", &grouped, true},
		{"/outside", &outside, false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			serve(r, "GET", tt.path)
			if got := tt.s.cache != nil; got != tt.wantCache {
				t.Errorf("GET %s: handler has a cache = %v; want %v", tt.path, got, tt.wantCache)
			}
		})
	}
}

func TestRequestCache_FreshCachePerRequest(t *testing.T) {
	repo := newRepo()
	var mu sync.Mutex
	caches := map[*reqcache.Cache]bool{} // keeps them reachable: no address is reused
	h := middleware.RequestCache(middleware.Options{})(reads(repo, func(_ http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		caches[reqcache.FromContext(r.Context())] = true
	}, 1, 2, 1, 2))

	const n = 32
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			serve(h, "GET", "/")
		}()
	}
	wg.Wait()
	if got, want := repo.db.loads.Load(), int64(2*n); got != want {
		t.Errorf("loads of %d requests reading 2 customers twice = %d; want %d", n, got, want)
	}
	if len(caches) != n {
		t.Errorf("%d requests had %d distinct caches; want %d", n, len(caches), n)
	}
}

func TestRequestCache_PanicClosesCache(t *testing.T) {
	for _, timing := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "ServerTiming"}[timing], func(t *testing.T) {
			boom := errors.New("boom")
			repo := newRepo()
			var s seen
			var ended *reqcache.Cache
			h := middleware.RequestCache(middleware.Options{
				ServerTiming: timing,
				OnEnd:        func(_ *http.Request, c *reqcache.Cache) { ended = c },
			})(s.handler(reads(repo, func(http.ResponseWriter, *http.Request) { panic(boom) }, 1)))

			got := func() (v any) {
				defer func() { v = recover() }()
				serve(h, "GET", "/")
				return nil
			}()
			if got != boom {
				t.Fatalf("recovered %v; want the handler's panic %v", got, boom)
			}
			if s.cache == nil || !s.cache.Closed() {
				t.Errorf("cache after the panic = %p, closed %v; want a closed cache", s.cache, s.cache.Closed())
			}
			if ended != s.cache {
				t.Errorf("OnEnd got cache %p; want the handler's %p", ended, s.cache)
			}
		})
	}
}

func TestRequestCache_Skip(t *testing.T) {
	tests := []struct {
		path       string
		wantCache  bool
		wantTiming bool
	}{
		{"/healthz", false, false},
		{"/customers/1", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var s seen
			ended := false
			h := middleware.RequestCache(middleware.Options{
				ServerTiming: true,
				Skip:         func(r *http.Request) bool { return r.URL.Path == "/healthz" },
				OnEnd:        func(*http.Request, *reqcache.Cache) { ended = true },
			})(s.handler(nil))
			rec := serve(h, "GET", tt.path)
			if got := s.cache != nil; got != tt.wantCache {
				t.Errorf("GET %s: handler has a cache = %v; want %v", tt.path, got, tt.wantCache)
			}
			if ended != tt.wantCache {
				t.Errorf("GET %s: OnEnd called = %v; want %v", tt.path, ended, tt.wantCache)
			}
			if got := rec.Header().Get("Server-Timing") != ""; got != tt.wantTiming {
				t.Errorf("GET %s: Server-Timing set = %v; want %v", tt.path, got, tt.wantTiming)
			}
		})
	}
}

func TestRequestCache_MaxEntries(t *testing.T) {
	tests := []struct {
		max  int
		want reqcache.Stats
	}{
		{0, reqcache.Stats{Hits: 2, Misses: 2, Loads: 2}},
		{-1, reqcache.Stats{Hits: 2, Misses: 2, Loads: 2}},
		{1, reqcache.Stats{Misses: 4, Loads: 4, Evicted: 3}}, // each read evicts the other key
	}
	for _, tt := range tests {
		repo := newRepo()
		var got reqcache.Stats
		h := middleware.RequestCache(middleware.Options{
			MaxEntries: tt.max,
			OnEnd:      func(_ *http.Request, c *reqcache.Cache) { got = c.Stats() },
		})(reads(repo, nil, 1, 2, 1, 2))
		serve(h, "GET", "/")
		if got != tt.want {
			t.Errorf("MaxEntries %d: Stats() = %+v; want %+v", tt.max, got, tt.want)
		}
	}
}

func TestRequestCache_OnEnd(t *testing.T) {
	repo := newRepo()
	var inHandler *reqcache.Cache
	var gotReq *http.Request
	var gotCache *reqcache.Cache
	var gotStats reqcache.Stats
	h := middleware.RequestCache(middleware.Options{
		OnEnd: func(r *http.Request, c *reqcache.Cache) {
			gotReq, gotCache, gotStats = r, c, c.Stats()
		},
	})(reads(repo, func(_ http.ResponseWriter, r *http.Request) {
		inHandler = reqcache.FromContext(r.Context())
		_ = inHandler.ID()
	}, 1, 1, 1, 2))
	serve(h, "GET", "/customers/1")

	if gotCache != inHandler || !gotCache.Closed() {
		t.Fatalf("OnEnd got cache %p (closed %v); want the handler's %p, closed", gotCache, gotCache.Closed(), inHandler)
	}
	if got := reqcache.FromContext(gotReq.Context()); got != inHandler {
		t.Errorf("FromContext(OnEnd's request) = %p; want the handler's cache %p", got, inHandler)
	}
	if gotReq.URL.Path != "/customers/1" {
		t.Errorf("OnEnd's request path = %q; want %q", gotReq.URL.Path, "/customers/1")
	}
	if want := (reqcache.Stats{Hits: 2, Misses: 2, Loads: 2}); gotStats != want {
		t.Errorf("Stats() in OnEnd = %+v; want %+v", gotStats, want)
	}
	if gotCache.ID() != inHandler.ID() {
		t.Errorf("ID() in OnEnd = %v; want the handler's %v", gotCache.ID(), inHandler.ID())
	}
}

func TestRequestCache_Logger(t *testing.T) {
	tests := []struct {
		name    string
		level   slog.Level
		wantLog bool
	}{
		{"debug", slog.LevelDebug, true},
		{"info", slog.LevelInfo, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo := newRepo()
			var buf bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: tt.level}))
			var id string
			h := middleware.RequestCache(middleware.Options{
				Logger: logger,
				OnEnd:  func(_ *http.Request, c *reqcache.Cache) { id = c.ID().String() },
			})(reads(repo, func(_ http.ResponseWriter, r *http.Request) {
				invalidate.ID(r.Context(), customers, 1)
			}, 1, 2))
			serve(h, "PUT", "/customers/1")

			if !tt.wantLog {
				if buf.Len() != 0 {
					t.Errorf("log at level %v = %q; want nothing", tt.level, buf.String())
				}
				return
			}
			var got struct {
				Level, Msg, Cache, Request, Target string
				Removed                            int
				Entries                            []string
			}
			if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
				t.Fatalf("log %q: %v; want one JSON record", buf.String(), err)
			}
			if got.Level != "DEBUG" || got.Msg != "reqcache: invalidated" || got.Cache != id ||
				got.Request != "PUT /customers/1" || got.Target != "Customer:1" ||
				got.Removed != 1 || len(got.Entries) != 1 || got.Entries[0] != "GetCustomer(1)" {
				t.Errorf("log record = %+v; want the invalidation of Customer:1 removing GetCustomer(1) in cache %s", got, id)
			}
		})
	}
}
