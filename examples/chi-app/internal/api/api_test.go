package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/reqcache/reqcache/examples/chi-app/internal/cached"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store/storetest"
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
