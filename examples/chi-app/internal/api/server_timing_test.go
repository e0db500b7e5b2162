package api

import (
	"net/http/httptest"
	"testing"

	"github.com/reqcache/reqcache/examples/chi-app/internal/cached"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store/storetest"
)

func TestServerTimingFor(t *testing.T) {
	db, _ := storetest.Open(t, storetest.SQLite, 5)
	tests := []struct {
		name, remote string
		want         bool
	}{
		{"all", "192.0.2.7:4000", true},
		{"loopback", "127.0.0.1:4000", true},
		{"loopback", "[::1]:4000", true},
		{"loopback", "192.0.2.7:4000", false},
		{"loopback", "not an address", false},
		{"off", "127.0.0.1:4000", false},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.remote, func(t *testing.T) {
			pick, err := ServerTimingFor(tt.name)
			if err != nil {
				t.Fatalf("ServerTimingFor(%q): %v", tt.name, err)
			}
			h := NewRouter(cached.New(db), Options{Cache: true, ServerTimingFor: pick})
			w := httptest.NewRecorder()
			req := httptest.NewRequest("GET", "/customers/1", nil)
			req.RemoteAddr = tt.remote
			h.ServeHTTP(w, req)
			if w.Code != 200 {
				t.Fatalf("GET /customers/1 = %d %s; want 200", w.Code, w.Body)
			}
			if got := w.Header().Get("Server-Timing") != ""; got != tt.want {
				t.Errorf("GET /customers/1 from %s with Server-Timing for %s: has the entry = %v; want %v", tt.remote, tt.name, got, tt.want)
			}
		})
	}
	if _, err := ServerTimingFor("some"); err == nil {
		t.Errorf("ServerTimingFor(%q) = nil error; want one", "some")
	}
}
