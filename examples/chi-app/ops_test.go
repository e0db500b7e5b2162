package main

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/reqcache/reqcache/examples/chi-app/internal/store/storetest"
)

// HEAD answers every GET route as GET does, without the body.
func TestHead(t *testing.T) {
	forEachStore(t, func(t *testing.T, srv *testServer) {
		for _, path := range []string{
			"/customers/1", "/customers?name=Ann&preName=Smith", "/customers/1/orders",
			"/stores/BER/customers", "/orders/1", "/dashboard", "/healthz", "/readyz", "/metrics",
		} {
			get := do(t, srv, "GET", path, "")
			head := do(t, srv, "HEAD", path, "")
			if head.status != http.StatusOK || len(head.body) != 0 {
				t.Errorf("HEAD %s = %d with %d bytes; want 200 and no body", path, head.status, len(head.body))
			}
			for _, h := range []string{"Content-Type", "Content-Length"} {
				if g, hd := get.header.Get(h), head.header.Get(h); g != hd && path != "/metrics" { // which counts the GET
					t.Errorf("HEAD %s: %s %q; want GET's %q", path, h, hd, g)
				}
			}
		}
		r := do(t, srv, "PATCH", "/dashboard", "")
		if allow := strings.Join(r.header.Values("Allow"), ","); allow != "GET,HEAD" {
			t.Errorf("PATCH /dashboard: Allow %q; want GET,HEAD", allow)
		}
	})
}

func TestHealth(t *testing.T) {
	srv := newTestServer(t, storetest.SQLite, true)
	for _, path := range []string{"/healthz", "/readyz"} {
		if r := do(t, srv, "GET", path, ""); r.status != http.StatusOK {
			t.Errorf("GET %s = %d %s; want 200", path, r.status, r.body)
		}
	}
	// A deleted database file is not ready, and is not made again.
	for _, f := range []string{srv.dsn, srv.dsn + "-wal", srv.dsn + "-shm"} {
		os.Remove(f)
	}
	if r := do(t, srv, "GET", "/readyz", ""); r.status != http.StatusServiceUnavailable {
		t.Errorf("GET /readyz after the database file was deleted = %d %s; want 503", r.status, r.body)
	}
	if _, err := os.Stat(srv.dsn); err == nil {
		t.Errorf("%s exists again after /readyz; want it gone", srv.dsn)
	}
	if r := do(t, srv, "GET", "/healthz", ""); r.status != http.StatusOK {
		t.Errorf("GET /healthz after the database file was deleted = %d; want 200: the process lives", r.status)
	}
}

// /metrics serves, in Prometheus's text format, the request caches'
// metrics by region and method, and the app's own.
func TestMetricsAndPprof(t *testing.T) {
	forEachStore(t, func(t *testing.T, srv *testServer) {
		do(t, srv, "GET", "/customers/1", "")
		do(t, srv, "GET", "/customers/x", "")
		do(t, srv, "GET", "/dashboard?limit=5", "")
		r := do(t, srv, "GET", "/metrics", "")
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("GET /metrics: Content-Type %q; want text/plain", ct)
		}
		for _, want := range []string{
			`chiapp_requests_total{code="2xx"} 2`,
			`chiapp_requests_total{code="4xx"} 1`,
			`chiapp_db_queries_total 3`,
			`chiapp_request_duration_seconds_count{code="2xx"} 2`,
			// GET /customers/1 and the dashboard's customers.
			`reqcache_hits_total{reqcache_method="Customer",reqcache_region="Customer"} 5`,
			`reqcache_misses_total{reqcache_method="Customer",reqcache_region="Customer"} 5`,
			`reqcache_loads_total{reqcache_method="Customer",reqcache_region="Customer"} 2`,
			`reqcache_loads_total{reqcache_method="RecentOrders",reqcache_region="Order"} 1`,
			`reqcache_load_duration_seconds_count{reqcache_method="RecentOrders",reqcache_outcome="loaded",reqcache_region="Order"} 1`,
		} {
			if !strings.Contains(string(r.body), "\n"+want+"\n") {
				t.Errorf("GET /metrics lacks %q:\n%s", want, r.body)
			}
		}
	})
	srv := newTestServer(t, storetest.SQLite, true)
	if r := do(t, srv, "GET", "/debug/pprof/goroutine?debug=1", ""); r.status != http.StatusOK || !strings.Contains(string(r.body), "goroutine") {
		t.Errorf("GET /debug/pprof/goroutine = %d; want 200 and a profile", r.status)
	}
}

// Every request logs one line, with chi's request ID, its status, its
// queries and its request cache's stats.
func TestAccessLog(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			srv := newTestServer(t, storetest.SQLite, m.cacheOn)
			req, _ := http.NewRequest("GET", srv.URL+"/dashboard?limit=5", nil)
			req.Header.Set("X-Request-Id", "trace-42")
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			do(t, srv, "GET", "/nowhere", "")
			srv.Close()
			lines := srv.logs.lines("msg=request", "id=trace-42")
			want := "method=GET path=/dashboard status=200"
			if len(lines) != 1 || !strings.Contains(lines[0], want) {
				t.Fatalf("access log of GET /dashboard = %q; want one line with %q", lines, want)
			}
			stats := "queries=2 hits=5 misses=5 loads=2"
			if !m.cacheOn {
				stats = "queries=6"
			}
			if !strings.HasSuffix(strings.TrimSpace(lines[0]), stats) {
				t.Errorf("access log of GET /dashboard = %q; want it to end with %q", lines[0], stats)
			}
			if n := len(srv.logs.lines("msg=request")); n != 2 {
				t.Errorf("%d access log lines for 2 requests; want 2", n)
			}
		})
	}
}
