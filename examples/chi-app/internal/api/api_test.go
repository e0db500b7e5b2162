package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/reqcache/reqcache/examples/chi-app/internal/cached"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store/storetest"
	"github.com/reqcache/reqcache/reqcache"
)

func TestClip(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"short", "short"},
		{strings.Repeat("x", maxQuoted), strings.Repeat("x", maxQuoted)},
		{strings.Repeat("x", maxQuoted+1), strings.Repeat("x", maxQuoted) + "..."},
		{strings.Repeat("x", maxQuoted-1) + "é", strings.Repeat("x", maxQuoted-1) + "..."}, // not half a rune
	} {
		if got := clip(tt.in); got != tt.want {
			t.Errorf("clip(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// A request whose client is gone when its query fails is answered 499,
// for the access log, and logged at debug level, not as an error.
func TestClientGone(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			db, _ := storetest.Open(t, kind, 5)
			var logs strings.Builder
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			h := NewRouter(cached.New(db), Options{Logger: logger, Cache: true, AccessLog: true})
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequestWithContext(ctx, "GET", "/dashboard", nil))
			if w.Code != StatusClientGone || w.Body.Len() != 0 {
				t.Errorf("GET /dashboard of a client gone = %d %q; want %d and no body", w.Code, w.Body, StatusClientGone)
			}
			if !strings.Contains(logs.String(), "level=DEBUG msg=\"api: client went away\"") || strings.Contains(logs.String(), "level=ERROR") {
				t.Errorf("log of a client gone:\n%s\nwant a debug line and no error", logs.String())
			}
			if !strings.Contains(logs.String(), "status=499") {
				t.Errorf("access log of a client gone:\n%s\nwant status=499", logs.String())
			}
		})
	}
}

func TestCounters(t *testing.T) {
	var c Counters
	c.Observe(&Record{Status: 200, Duration: time.Second, Queries: 2, Cache: &reqcache.Stats{Hits: 3, Misses: 2, Loads: 2}})
	c.Observe(&Record{Status: 404, Duration: time.Second})
	c.Observe(&Record{Status: StatusClientGone})
	w := httptest.NewRecorder()
	c.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	for _, want := range []string{
		`chiapp_requests_total{code="2xx"} 1`,
		`chiapp_requests_total{code="4xx"} 1`,
		`chiapp_requests_total{code="gone"} 1`,
		`chiapp_requests_total{code="5xx"} 0`,
		`chiapp_request_duration_seconds_total 2`,
		`chiapp_db_queries_total 2`,
		`chiapp_reqcache_hits_total 3`,
		`chiapp_reqcache_misses_total 2`,
		`chiapp_reqcache_loads_total 2`,
	} {
		if !strings.Contains(w.Body.String(), want+"\n") {
			t.Errorf("Counters lack %q:\n%s", want, w.Body)
		}
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type %q; want text/plain", ct)
	}
}

func TestHealth_Drain(t *testing.T) {
	pingErr := error(nil)
	h := NewHealth(func(context.Context) error { return pingErr }, slog.New(slog.DiscardHandler))
	status := func() int {
		w := httptest.NewRecorder()
		h.readyz(w, httptest.NewRequest("GET", "/readyz", nil))
		return w.Code
	}
	if got := status(); got != http.StatusOK {
		t.Errorf("readyz = %d; want 200", got)
	}
	pingErr = context.DeadlineExceeded
	if got := status(); got != http.StatusServiceUnavailable {
		t.Errorf("readyz with a failing database = %d; want 503", got)
	}
	pingErr = nil
	h.Drain()
	if got := status(); got != http.StatusServiceUnavailable {
		t.Errorf("readyz after Drain = %d; want 503", got)
	}
}
