package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/reqcache/reqcache/examples/chi-app/internal/api"
	"github.com/reqcache/reqcache/examples/chi-app/internal/cached"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store/storetest"
)

// guard bounds the blocking reads of these tests, so that a server that
// never answers fails the test instead of hanging it. It is far longer
// than any timeout under test, and no assertion depends on it.
const guard = time.Minute

// startServer serves the storefront on a fresh SQLite database with the
// timeouts of cfg, over a real listener on loopback, and returns its
// address.
func startServer(t *testing.T, cfg config) string {
	t.Helper()
	db, _ := storetest.Open(t, storetest.SQLite, testCustomers)
	h := api.NewRouter(cached.New(db), api.Options{Cache: true, BodyTimeout: cfg.bodyDeadline()})
	srv := cfg.server(h, slog.New(slog.DiscardHandler))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// dial connects to addr, with the guard as the connection's deadline.
func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(guard))
	return c
}

// stalledPost is a request that promises a body of 100 bytes and sends 10.
const stalledPost = "POST /customers HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\": 1"

// A client that stalls in its body is answered 408 once the body timeout
// passed, and its connection closed.
func TestStalledBody(t *testing.T) {
	addr := startServer(t, config{bodyTimeout: 100 * time.Millisecond, readTimeout: time.Minute, readHeaderTimeout: time.Second})
	c := dial(t, addr)
	if _, err := io.WriteString(c, stalledPost); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("a stalled body: reading the response: %v; want a 408", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestTimeout {
		t.Errorf("a stalled body: status %d; want 408", res.StatusCode)
	}
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Errorf("a stalled body: the connection stays open after the answer; want it closed")
	}
}

// ReadTimeout, ReadHeaderTimeout and IdleTimeout close the connections of
// clients that stall in their header or never send another request.
func TestStalledConnectionsClosed(t *testing.T) {
	cfg := config{
		readHeaderTimeout: 100 * time.Millisecond,
		readTimeout:       200 * time.Millisecond,
		bodyTimeout:       time.Minute, // ReadTimeout comes first
		idleTimeout:       100 * time.Millisecond,
	}
	addr := startServer(t, cfg)
	tests := []struct{ name, send string }{
		{"stalled header", "GET /customers/1 HTTP/1.1\r\nHost: te"},
		{"stalled body, read timeout", stalledPost},
		{"idle keep-alive", "GET /customers/1 HTTP/1.1\r\nHost: test\r\n\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, addr)
			if _, err := io.WriteString(c, tt.send); err != nil {
				t.Fatal(err)
			}
			// Whatever the server answers, it must then close: reads end
			// in EOF, or a reset, not in the guard's timeout.
			_, err := io.Copy(io.Discard, c)
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Errorf("%s: the connection stayed open for %s", tt.name, guard)
			}
		})
	}
}

// Clients that go away before their answer are neither answered 500 nor
// logged as errors: the access log says 499, the debug log says why.
func TestCancelledClients(t *testing.T) {
	forEachStoreAndMode(t, func(t *testing.T, srv *testServer, _ bool) {
		const requests = 300
		rng := rand.New(rand.NewPCG(1, 2))
		var wg sync.WaitGroup
		for i := range requests {
			// Cancelled at once, or at some point of the request, or never.
			after := time.Duration(rng.IntN(20_000)) * time.Microsecond
			wg.Go(func() {
				ctx, cancel := context.WithTimeout(context.Background(), after)
				defer cancel()
				path := "/dashboard?limit=500"
				if i%2 == 1 {
					path = fmt.Sprintf("/customers/%d/orders", 1+i%testCustomers)
				}
				req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+path, nil)
				res, err := srv.Client().Do(req)
				if err != nil {
					return // cancelled
				}
				defer res.Body.Close()
				if _, err := io.Copy(io.Discard, res.Body); err == nil && res.StatusCode != http.StatusOK {
					t.Errorf("GET %s = %d; want 200 or a cancelled request", path, res.StatusCode)
				}
			})
		}
		wg.Wait()
		srv.Close() // waits for the handlers
		for _, bad := range []string{"level=ERROR", "level=WARN", "status=500"} {
			if lines := srv.logs.lines(bad); len(lines) > 0 {
				t.Errorf("%d log lines with %s after cancelled requests; want none. First: %s", len(lines), bad, lines[0])
			}
		}
		// Requests cancelled before they were sent never reach the log.
		all := len(srv.logs.lines("msg=request"))
		done, gone := len(srv.logs.lines("msg=request", "status=200")), len(srv.logs.lines("msg=request", "status=499"))
		if done+gone != all {
			t.Errorf("access log: %d requests answered 200 and %d gone of %d; want no other status", done, gone, all)
		}
		t.Logf("%d requests answered, %d clients gone first", done, gone)
	})
}

// The dashboard reads its orders and their customers in one snapshot: a
// customer deleted meanwhile never turns it into a 404.
func TestDashboard_ConcurrentDeletes(t *testing.T) {
	for _, kind := range storetest.Kinds {
		for _, m := range modes {
			t.Run(kind+"/"+m.name, func(t *testing.T) {
				t.Parallel()
				srv := newTestServerSeeded(t, kind, m.cacheOn, 1000)
				readers, reads := 4, 250
				if !m.cacheOn {
					reads = 100 // a page of 21 queries
				}
				stop := make(chan struct{})
				deleted := make(chan int)
				go func() { deleted <- deleteNewest(t, srv, stop) }()
				var wg sync.WaitGroup
				for range readers {
					wg.Go(func() {
						for range reads {
							r := do(t, srv, "GET", "/dashboard?limit=20", "")
							if r.status != http.StatusOK {
								t.Errorf("GET /dashboard while customers are deleted = %d %s; want 200", r.status, r.body)
								return
							}
						}
					})
				}
				wg.Wait()
				close(stop)
				n := <-deleted
				if n == 0 {
					t.Errorf("no customer deleted while the dashboard was read; want some")
				}
				t.Logf("%d dashboards read while %d customers were deleted", readers*reads, n)
			})
		}
	}
}

// deleteNewest deletes the customer of the newest order, again and again,
// until stop is closed, and returns how many it deleted.
func deleteNewest(t *testing.T, srv *testServer, stop <-chan struct{}) int {
	n := 0
	for {
		select {
		case <-stop:
			return n
		default:
		}
		var dash struct{ Orders []struct{ CustomerID int64 } }
		res, err := srv.Client().Get(srv.URL + "/dashboard?limit=1")
		if err != nil {
			t.Errorf("GET /dashboard?limit=1: %v", err)
			return n
		}
		err = json.NewDecoder(res.Body).Decode(&dash)
		res.Body.Close()
		if err != nil || len(dash.Orders) == 0 {
			return n // every customer deleted
		}
		req, _ := http.NewRequest("DELETE", fmt.Sprintf("%s/customers/%d", srv.URL, dash.Orders[0].CustomerID), nil)
		if res, err = srv.Client().Do(req); err != nil {
			t.Errorf("DELETE /customers/%d: %v", dash.Orders[0].CustomerID, err)
			return n
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNoContent {
			t.Errorf("DELETE /customers/%d = %d; want 204", dash.Orders[0].CustomerID, res.StatusCode)
			return n
		}
		n++
	}
}
