package api

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/reqcache/reqcache/examples/chi-app/internal/cached"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store/storetest"
)

// The benchmarks of this file serve the app's routes in process, through
// the router the app runs, with no network: what the request cache adds
// to a request is smaller than the noise of a request over loopback. Each
// store, route and cache setting is a top-level benchmark of its own, so
// that -test.shuffle interleaves them:
//
//	bench/measure.sh -p examples/chi-app/internal/api -n 10 '^BenchmarkAPI_SQLite' \
//		diff:API_SQLite_Customer_Cache:API_SQLite_Customer_NoCache
//
// Besides ns/op, each reports cpu-ns/op, the CPU time of the whole process
// (user and system, every thread) per request, which the load of other
// processes on a shared machine inflates far less than wall time.

// benchCustomers is the number of customers the app seeds by default
// (-seed).
const benchCustomers = 1000

const (
	benchCustomerPath  = "/customers/42"
	benchDashboardPath = "/dashboard"
)

func BenchmarkAPI_SQLite_Customer_Cache(b *testing.B) {
	benchRoute(b, storetest.SQLite, benchCustomerPath, true)
}

func BenchmarkAPI_SQLite_Customer_NoCache(b *testing.B) {
	benchRoute(b, storetest.SQLite, benchCustomerPath, false)
}

func BenchmarkAPI_SQLite_Dashboard_Cache(b *testing.B) {
	benchRoute(b, storetest.SQLite, benchDashboardPath, true)
}

func BenchmarkAPI_SQLite_Dashboard_NoCache(b *testing.B) {
	benchRoute(b, storetest.SQLite, benchDashboardPath, false)
}

func BenchmarkAPI_Postgres_Customer_Cache(b *testing.B) {
	benchRoute(b, storetest.Postgres, benchCustomerPath, true)
}

func BenchmarkAPI_Postgres_Customer_NoCache(b *testing.B) {
	benchRoute(b, storetest.Postgres, benchCustomerPath, false)
}

func BenchmarkAPI_Postgres_Dashboard_Cache(b *testing.B) {
	benchRoute(b, storetest.Postgres, benchDashboardPath, true)
}

func BenchmarkAPI_Postgres_Dashboard_NoCache(b *testing.B) {
	benchRoute(b, storetest.Postgres, benchDashboardPath, false)
}

// benchRoute serves GET path, b.N times, through the app's router over a
// fresh store of the given kind (skipped for PostgreSQL without one, see
// storetest), with the request cache on or off. Before the loop, it
// checks that the route answers 200, and the same body with the cache as
// without.
func benchRoute(b *testing.B, kind, path string, cache bool) {
	db, _ := storetest.Open(b, kind, benchCustomers)
	h := NewRouter(cached.New(db), appOptions(db, cache))
	peer := NewRouter(cached.New(db), appOptions(db, !cache))
	// The request is parsed once. Each op serves a copy of it whose
	// context is cancelled when the response ends, as net/http's server
	// gives every request: the database drivers watch such a context
	// while a query runs, at a cost that a request without one would
	// not show. The router and its middlewares derive the requests they
	// change (WithContext), and never write to the one they are given.
	req := httptest.NewRequest(http.MethodGet, path, nil)
	checkRoute(b, h, peer, req, cache)
	w := newBenchWriter()

	b.ReportAllocs()
	cpu := processCPUTime()
	for b.Loop() {
		w.reset()
		serve(h, w, req)
	}
	reportCPU(b, processCPUTime()-cpu)
}

// serve serves a copy of req, with a context cancelled when h returns.
func serve(h http.Handler, w http.ResponseWriter, req *http.Request) {
	ctx, cancel := context.WithCancel(req.Context())
	defer cancel()
	h.ServeHTTP(w, req.WithContext(ctx))
}

// appOptions returns the router's options as the app sets them with its
// flags' defaults (main.go, flags.go), with the request cache on or off:
// the access log on (to a logger that formats every line, as the app's
// does, and writes it nowhere), Server-Timing for every request, health
// routes, no metrics, no profiling, the body timeout.
func appOptions(db store.Store, cache bool) Options {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	return Options{
		Logger:          logger,
		Cache:           cache,
		ServerTimingFor: nil, // -server-timing=all
		AccessLog:       true,
		Health:          NewHealth(db.Ping, logger),
		BodyTimeout:     10 * time.Second,
	}
}

// checkRoute fails b unless h and peer, the same router with the cache on
// and off, answer req with 200 and the same body, twice each (req is
// served again), with the Server-Timing entry exactly where the cache is
// on.
func checkRoute(b *testing.B, h, peer http.Handler, req *http.Request, cache bool) {
	b.Helper()
	var bodies [][]byte
	for _, r := range []struct {
		h     http.Handler
		cache bool
	}{{h, cache}, {peer, !cache}, {h, cache}, {peer, !cache}} {
		w := newBenchWriter()
		serve(r.h, w, req)
		if w.status != http.StatusOK {
			b.Fatalf("GET %s with cache=%v = %d %s; want 200", req.URL, r.cache, w.status, w.body)
		}
		if got := w.header.Get("Server-Timing") != ""; got != r.cache {
			b.Fatalf("GET %s with cache=%v: Server-Timing %q; want it only with the cache", req.URL, r.cache, w.header.Get("Server-Timing"))
		}
		bodies = append(bodies, w.body)
	}
	for i, body := range bodies[1:] {
		if !bytes.Equal(body, bodies[0]) {
			b.Fatalf("GET %s, answer %d = %s; want the body of answer 0, %s", req.URL, i+1, body, bodies[0])
		}
	}
}

// A benchWriter is an http.ResponseWriter that keeps the status, header
// and body of a response, and is reset for the next one without
// allocating: an httptest.ResponseRecorder makes a new header map and
// buffer for each.
type benchWriter struct {
	header http.Header
	status int
	body   []byte
}

func newBenchWriter() *benchWriter {
	return &benchWriter{header: make(http.Header)}
}

func (w *benchWriter) Header() http.Header { return w.header }

func (w *benchWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *benchWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.body = append(w.body, p...)
	return len(p), nil
}

// reset makes w ready for the next response.
func (w *benchWriter) reset() {
	clear(w.header)
	w.status = 0
	w.body = w.body[:0]
}

// reportCPU reports the CPU time the process used over b's loop, per op,
// as the cpu-ns/op metric.
func reportCPU(b *testing.B, used time.Duration) {
	if b.N > 0 {
		b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// processCPUTime returns the user and system CPU time the process has used.
func processCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic("api: getrusage: " + err.Error())
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestProcessCPUTime checks that the process's CPU time is read, and grows
// while the process computes.
func TestProcessCPUTime(t *testing.T) {
	start := processCPUTime()
	if start <= 0 {
		t.Fatalf("processCPUTime() = %v; want > 0", start)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for processCPUTime() == start {
		if ctx.Err() != nil {
			t.Fatalf("processCPUTime() = %v after 10s of computing; want more than at the start", start)
		}
	}
}

// TestBenchWriter checks that a reset writer keeps nothing of the response
// before.
func TestBenchWriter(t *testing.T) {
	w := newBenchWriter()
	w.Header().Set("X-A", "1")
	w.WriteHeader(http.StatusNotFound)
	w.Write([]byte("gone"))
	if w.status != http.StatusNotFound || string(w.body) != "gone" || w.header.Get("X-A") != "1" {
		t.Fatalf("after a 404: status %d, body %q, header %v; want 404, \"gone\", X-A: 1", w.status, w.body, w.header)
	}
	w.reset()
	w.Write([]byte("ok"))
	if w.status != http.StatusOK || string(w.body) != "ok" || len(w.header) != 0 {
		t.Errorf("after reset and a write: status %d, body %q, header %v; want 200, \"ok\", none", w.status, w.body, w.header)
	}
}
