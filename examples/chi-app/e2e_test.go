package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reqcache/reqcache/examples/chi-app/internal/api"
	"github.com/reqcache/reqcache/examples/chi-app/internal/cached"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store/storetest"
)

// testCustomers is the seed of the end-to-end tests: 40 customers, 120
// orders.
const testCustomers = 40

// modes are the two ways the storefront runs.
var modes = []struct {
	name    string
	cacheOn bool
}{{"cache", true}, {"nocache", false}}

// A testServer is the storefront over real HTTP on a fresh, seeded
// database, with its log.
type testServer struct {
	*httptest.Server
	db   store.Store
	dsn  string
	logs *logBuffer
}

// newTestServer starts the storefront on a fresh, seeded database of the
// given kind, with every route and the access log on.
func newTestServer(t *testing.T, kind string, cacheOn bool) *testServer {
	t.Helper()
	return newTestServerSeeded(t, kind, cacheOn, testCustomers)
}

// newTestServerSeeded is newTestServer with a seed of customers customers.
func newTestServerSeeded(t *testing.T, kind string, cacheOn bool, customers int) *testServer {
	t.Helper()
	db, dsn := storetest.Open(t, kind, customers)
	logs := new(logBuffer)
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	metrics, err := api.NewOTelMetrics()
	if err != nil {
		t.Fatal(err)
	}
	h := api.NewRouter(cached.New(db), api.Options{
		Logger:      logger,
		Cache:       cacheOn,
		AccessLog:   true,
		Health:      api.NewHealth(db.Ping, logger),
		Metrics:     metrics,
		Pprof:       true,
		BodyTimeout: 10 * time.Second,
	})
	srv := httptest.NewUnstartedServer(h)
	// What net/http logs itself, such as superfluous WriteHeader calls.
	srv.Config.ErrorLog = slog.NewLogLogger(logger.Handler(), slog.LevelWarn)
	srv.Start()
	t.Cleanup(srv.Close)
	return &testServer{Server: srv, db: db, dsn: dsn, logs: logs}
}

// forEachStore runs test as a parallel subtest on a server of each kind of
// database, with the cache on.
func forEachStore(t *testing.T, test func(t *testing.T, srv *testServer)) {
	t.Helper()
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			test(t, newTestServer(t, kind, true))
		})
	}
}

// forEachStoreAndMode runs test as a parallel subtest on a server of each
// kind of database, with the cache on and off.
func forEachStoreAndMode(t *testing.T, test func(t *testing.T, srv *testServer, cacheOn bool)) {
	t.Helper()
	for _, kind := range storetest.Kinds {
		for _, m := range modes {
			t.Run(kind+"/"+m.name, func(t *testing.T) {
				t.Parallel()
				test(t, newTestServer(t, kind, m.cacheOn), m.cacheOn)
			})
		}
	}
}

// A logBuffer is a log safe for concurrent writes.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// lines returns the lines of the log that contain all of the strings.
func (l *logBuffer) lines(contain ...string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for line := range strings.Lines(l.b.String()) {
		ok := true
		for _, s := range contain {
			ok = ok && strings.Contains(line, s)
		}
		if ok {
			out = append(out, line)
		}
	}
	return out
}

// A response is what a request got back.
type response struct {
	status  int
	header  http.Header
	body    []byte
	queries int // X-DB-Queries
}

// do sends a request with the given body, if not empty, and returns the
// response.
func do(t *testing.T, srv *testServer, method, path, body string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	q, err := strconv.Atoi(res.Header.Get("X-DB-Queries"))
	if err != nil && strings.HasPrefix(path, "/") && !isOps(path) {
		t.Errorf("%s %s: X-DB-Queries = %q; want a number", method, path, res.Header.Get("X-DB-Queries"))
	}
	return response{status: res.StatusCode, header: res.Header, body: b, queries: q}
}

// isOps reports whether path is one of the routes outside the API, which
// run no SQL statements of their own.
func isOps(path string) bool {
	for _, p := range []string{"/healthz", "/readyz", "/metrics", "/debug/"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// expect checks the response's status and decodes its JSON body into v,
// if v is not nil.
func (r response) expect(t *testing.T, what string, status int, v any) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, body %s; want %d", what, r.status, r.body, status)
	}
	if v != nil {
		if err := json.Unmarshal(r.body, v); err != nil {
			t.Fatalf("%s: body %s: %v", what, r.body, err)
		}
	}
}

// timing returns the want Server-Timing header: an entry with the given
// hits and misses, and as many loads as misses, with the cache; none
// without. The time spent in loads reads "…", as serverTiming gives it.
func timing(cacheOn bool, hits, misses int) string {
	if !cacheOn {
		return ""
	}
	return fmt.Sprintf(`reqcache;dur=…;desc="hits=%d misses=%d loads=%d"`, hits, misses, misses)
}

// durMillis is the dur parameter of the reqcache Server-Timing entry.
var durMillis = regexp.MustCompile(`^reqcache;dur=[0-9]+(\.[0-9]{1,3})?;`)

// serverTiming returns the Server-Timing header of r with the value of
// the reqcache entry's dur, which varies from run to run, as "…".
func serverTiming(r response) string {
	return durMillis.ReplaceAllLiteralString(r.header.Get("Server-Timing"), "reqcache;dur=…;")
}

func TestGetCustomer(t *testing.T) {
	forEachStoreAndMode(t, func(t *testing.T, srv *testServer, cacheOn bool) {
		for _, id := range []int{1, 7, testCustomers} {
			var got store.Customer
			r := do(t, srv, "GET", fmt.Sprintf("/customers/%d", id), "")
			r.expect(t, "GET /customers/{id}", http.StatusOK, &got)
			if want := store.SeedCustomer(id); got != want {
				t.Errorf("GET /customers/%d = %+v; want %+v", id, got, want)
			}
			if r.queries != 1 {
				t.Errorf("GET /customers/%d: X-DB-Queries = %d; want 1", id, r.queries)
			}
			if got, want := serverTiming(r), timing(cacheOn, 0, 1); got != want {
				t.Errorf("GET /customers/%d: Server-Timing = %q; want %q", id, got, want)
			}
		}
	})
}

func TestFindCustomers(t *testing.T) {
	forEachStore(t, func(t *testing.T, srv *testServer) {
		c := store.SeedCustomer(23)
		var got []store.Customer
		do(t, srv, "GET", "/customers?name="+c.Name+"&preName="+c.PreName, "").
			expect(t, "GET /customers?name=&preName=", http.StatusOK, &got)
		if want := []store.Customer{c}; !reflect.DeepEqual(got, want) {
			t.Errorf("GET /customers?name=%s&preName=%s = %+v; want %+v", c.Name, c.PreName, got, want)
		}

		r := do(t, srv, "GET", "/customers?name=Nobody&preName=Known", "")
		r.expect(t, "GET /customers?name=Nobody&preName=Known", http.StatusOK, nil)
		if got := strings.TrimSpace(string(r.body)); got != "[]" {
			t.Errorf("GET /customers for an unknown name = %s; want []", got)
		}
	})
}

func TestStoreCustomers(t *testing.T) {
	forEachStore(t, func(t *testing.T, srv *testServer) {
		code := store.SeedCustomer(1).StoreCode
		var want []store.Customer
		for i := 1; i <= testCustomers; i++ {
			if c := store.SeedCustomer(i); c.StoreCode == code {
				want = append(want, c)
			}
		}
		var got []store.Customer
		do(t, srv, "GET", "/stores/"+code+"/customers", "").
			expect(t, "GET /stores/{storeCode}/customers", http.StatusOK, &got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("GET /stores/%s/customers = %+v; want %+v", code, got, want)
		}
	})
}

func TestCustomerOrders(t *testing.T) {
	forEachStore(t, func(t *testing.T, srv *testServer) {
		total := 0
		for id := 1; id <= testCustomers; id++ {
			var got []store.Order
			r := do(t, srv, "GET", fmt.Sprintf("/customers/%d/orders", id), "")
			r.expect(t, "GET /customers/{id}/orders", http.StatusOK, &got)
			for _, o := range got {
				if o.CustomerID != int64(id) || o.Customer != nil {
					t.Errorf("GET /customers/%d/orders holds %+v; want orders of customer %d, without it", id, o, id)
				}
			}
			if r.queries != 2 {
				t.Errorf("GET /customers/%d/orders: X-DB-Queries = %d; want 2", id, r.queries)
			}
			total += len(got)
		}
		if want := store.OrdersPerCustomer * testCustomers; total != want {
			t.Errorf("orders of all customers = %d; want %d", total, want)
		}
	})
}

func TestGetOrder(t *testing.T) {
	forEachStore(t, func(t *testing.T, srv *testServer) {
		var got store.Order
		r := do(t, srv, "GET", "/orders/1", "")
		r.expect(t, "GET /orders/1", http.StatusOK, &got)
		if got.ID != 1 || got.Customer == nil || *got.Customer != store.SeedCustomer(int(got.CustomerID)) {
			t.Errorf("GET /orders/1 = %+v (customer %+v); want order 1 with its customer", got, got.Customer)
		}
		if r.queries != 2 {
			t.Errorf("GET /orders/1: X-DB-Queries = %d; want 2", r.queries)
		}
	})
}

func TestDashboard(t *testing.T) {
	tests := []struct {
		query     string
		wantCount int
	}{
		{"", 50},
		{"?limit=5", 5},
		{"?limit=500", store.OrdersPerCustomer * testCustomers},
	}
	forEachStoreAndMode(t, func(t *testing.T, srv *testServer, cacheOn bool) {
		for _, tt := range tests {
			var got struct{ Orders []store.Order }
			r := do(t, srv, "GET", "/dashboard"+tt.query, "")
			r.expect(t, "GET /dashboard"+tt.query, http.StatusOK, &got)
			if len(got.Orders) != tt.wantCount {
				t.Fatalf("GET /dashboard%s: %d orders; want %d", tt.query, len(got.Orders), tt.wantCount)
			}
			for i, o := range got.Orders {
				if i > 0 && o.ID >= got.Orders[i-1].ID {
					t.Errorf("GET /dashboard%s: order %d after %d; want newest first", tt.query, o.ID, got.Orders[i-1].ID)
				}
				if o.Customer == nil || *o.Customer != store.SeedCustomer(int(o.CustomerID)) {
					t.Errorf("GET /dashboard%s: order %d has customer %+v; want customer %d", tt.query, o.ID, o.Customer, o.CustomerID)
				}
			}
			want := 1 + len(got.Orders) // the N+1 page
			if cacheOn {
				want = 2 // the orders, and one batch of their customers
			}
			if r.queries != want {
				t.Errorf("GET /dashboard%s: X-DB-Queries = %d; want %d", tt.query, r.queries, want)
			}
		}
	})
}

func TestCreateCustomer(t *testing.T) {
	forEachStore(t, func(t *testing.T, srv *testServer) {
		in := store.Customer{StoreCode: "BER", Name: "Zoe", PreName: "Quist", Email: "zoe@example.com"}
		body, _ := json.Marshal(in)
		var got store.Customer
		r := do(t, srv, "POST", "/customers", string(body))
		r.expect(t, "POST /customers", http.StatusCreated, &got)
		want := in
		want.ID = testCustomers + 1
		if got != want {
			t.Errorf("POST /customers = %+v; want %+v", got, want)
		}
		if loc := r.header.Get("Location"); loc != fmt.Sprintf("/customers/%d", want.ID) {
			t.Errorf("POST /customers: Location = %q; want /customers/%d", loc, want.ID)
		}
		var back []store.Customer
		do(t, srv, "GET", "/customers?name=Zoe&preName=Quist", "").expect(t, "GET /customers?name=Zoe", http.StatusOK, &back)
		if len(back) != 1 || back[0] != want {
			t.Errorf("GET /customers?name=Zoe&preName=Quist = %+v; want [%+v]", back, want)
		}
	})
}

// PUT reads the customer, writes it, invalidates it and reads it again in
// one request: the answer shows the write, from a third query.
func TestUpdateCustomer_ReadYourWrites(t *testing.T) {
	forEachStoreAndMode(t, func(t *testing.T, srv *testServer, cacheOn bool) {
		want := store.Customer{ID: 5, StoreCode: "MUC", Name: "Eve", PreName: "Newname", Email: "eve@example.com"}
		body, _ := json.Marshal(want)
		var got store.Customer
		r := do(t, srv, "PUT", "/customers/5", string(body))
		r.expect(t, "PUT /customers/5", http.StatusOK, &got)
		if got != want {
			t.Errorf("PUT /customers/5 = %+v; want %+v, as written", got, want)
		}
		if r.queries != 3 {
			t.Errorf("PUT /customers/5: X-DB-Queries = %d; want 3 (read, write, read)", r.queries)
		}
		if got, want := serverTiming(r), timing(cacheOn, 0, 2); got != want {
			t.Errorf("PUT /customers/5: Server-Timing = %q; want %q", got, want)
		}
		do(t, srv, "GET", "/customers/5", "").expect(t, "GET /customers/5", http.StatusOK, &got)
		if got != want {
			t.Errorf("GET /customers/5 after PUT = %+v; want %+v", got, want)
		}
	})
}

func TestDeleteCustomer(t *testing.T) {
	forEachStore(t, func(t *testing.T, srv *testServer) {
		r := do(t, srv, "DELETE", "/customers/7", "")
		r.expect(t, "DELETE /customers/7", http.StatusNoContent, nil)
		if len(r.body) != 0 || r.queries != 2 {
			t.Errorf("DELETE /customers/7: body %q, X-DB-Queries %d; want none, 2 (orders, customer)", r.body, r.queries)
		}
		do(t, srv, "GET", "/customers/7", "").expect(t, "GET /customers/7 after DELETE", http.StatusNotFound, nil)
		do(t, srv, "GET", "/customers/7/orders", "").expect(t, "GET /customers/7/orders after DELETE", http.StatusNotFound, nil)
		do(t, srv, "DELETE", "/customers/7", "").expect(t, "DELETE /customers/7 again", http.StatusNotFound, nil)

		var dash struct{ Orders []store.Order }
		do(t, srv, "GET", "/dashboard?limit=500", "").expect(t, "GET /dashboard", http.StatusOK, &dash)
		for _, o := range dash.Orders {
			if o.CustomerID == 7 {
				t.Errorf("GET /dashboard after DELETE /customers/7 holds order %d of customer 7", o.ID)
			}
		}
	})
}

func TestDeleteCustomersByPreName(t *testing.T) {
	forEachStore(t, func(t *testing.T, srv *testServer) {
		victim := store.SeedCustomer(1)
		want := 0
		for i := 1; i <= testCustomers; i++ {
			if store.SeedCustomer(i).PreName == victim.PreName {
				want++
			}
		}
		var got struct{ Deleted int }
		r := do(t, srv, "DELETE", "/customers?preName="+victim.PreName, "")
		r.expect(t, "DELETE /customers?preName=", http.StatusOK, &got)
		if got.Deleted != want || r.queries != 2 {
			t.Errorf("DELETE /customers?preName=%s = %d deleted, %d queries; want %d, 2", victim.PreName, got.Deleted, r.queries, want)
		}
		var left []store.Customer
		do(t, srv, "GET", "/customers?name="+victim.Name+"&preName="+victim.PreName, "").
			expect(t, "GET /customers?name=&preName=", http.StatusOK, &left)
		if len(left) != 0 {
			t.Errorf("GET /customers?name=%s&preName=%s after the delete = %+v; want []", victim.Name, victim.PreName, left)
		}
		do(t, srv, "DELETE", "/customers?preName="+victim.PreName, "").expect(t, "DELETE again", http.StatusOK, &got)
		if got.Deleted != 0 {
			t.Errorf("DELETE /customers?preName=%s again = %d deleted; want 0", victim.PreName, got.Deleted)
		}
	})
}

func TestCreateOrder(t *testing.T) {
	forEachStore(t, func(t *testing.T, srv *testServer) {
		var got store.Order
		r := do(t, srv, "POST", "/orders", `{"customerId": 3, "status": "pending", "total": 1999}`)
		r.expect(t, "POST /orders", http.StatusCreated, &got)
		want := store.Order{ID: store.OrdersPerCustomer*testCustomers + 1, CustomerID: 3, Status: "pending", Total: 1999}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("POST /orders = %+v; want %+v", got, want)
		}
		var dash struct{ Orders []store.Order }
		do(t, srv, "GET", "/dashboard?limit=1", "").expect(t, "GET /dashboard?limit=1", http.StatusOK, &dash)
		if len(dash.Orders) != 1 || dash.Orders[0].ID != want.ID {
			t.Errorf("GET /dashboard?limit=1 after POST /orders = %+v; want order %d first", dash.Orders, want.ID)
		}
	})
}

// 32 concurrent clients each write and read their own customer, again and
// again: every read sees the client's last write, no request sees
// another's cache, and the database takes the concurrent writes.
func TestConcurrentClients(t *testing.T) {
	forEachStoreAndMode(t, func(t *testing.T, srv *testServer, _ bool) {
		const clients, rounds = 32, 5
		done := make(chan struct{})
		for i := 1; i <= clients; i++ {
			go func() {
				defer func() { done <- struct{}{} }()
				for round := range rounds {
					want := store.Customer{ID: int64(i), StoreCode: "HAM", Name: fmt.Sprintf("Client%d", i), PreName: "Parallel", Email: fmt.Sprintf("c%d.%d@example.com", i, round)}
					body, _ := json.Marshal(want)
					for _, req := range []struct{ method, body string }{{"PUT", string(body)}, {"GET", ""}} {
						res, err := srv.Client().Do(mustRequest(req.method, fmt.Sprintf("%s/customers/%d", srv.URL, i), req.body))
						if err != nil {
							t.Errorf("%s /customers/%d: %v", req.method, i, err)
							return
						}
						var got store.Customer
						err = json.NewDecoder(res.Body).Decode(&got)
						res.Body.Close()
						if err != nil || res.StatusCode != http.StatusOK || got != want {
							t.Errorf("%s /customers/%d = %d %+v, %v; want 200 %+v", req.method, i, res.StatusCode, got, err, want)
						}
					}
				}
			}()
		}
		for range clients {
			<-done
		}
	})
}

func mustRequest(method, url, body string) *http.Request {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		panic(err)
	}
	return req
}
