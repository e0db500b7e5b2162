package main

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

const validCustomer = `{"storeCode": "BER", "name": "Ann", "preName": "Smith", "email": "ann@example.com"}`

// Bad input gets a JSON error and a 4xx, never a 500 or a dropped
// connection.
func TestErrors(t *testing.T) {
	big := `{"name": "` + strings.Repeat("x", 1<<20) + `"}`
	tests := []struct {
		method, path, body string
		want               int
	}{
		{"GET", "/customers/abc", "", http.StatusBadRequest},
		{"GET", "/customers/99999999999999999999", "", http.StatusBadRequest},
		{"GET", "/customers/9999", "", http.StatusNotFound},
		{"GET", "/customers/abc/orders", "", http.StatusBadRequest},
		{"GET", "/customers/9999/orders", "", http.StatusNotFound},
		{"GET", "/customers?name=Ann", "", http.StatusBadRequest},
		{"GET", "/customers?preName=Smith", "", http.StatusBadRequest},
		{"GET", "/orders/x", "", http.StatusBadRequest},
		{"GET", "/orders/9999", "", http.StatusNotFound},
		{"GET", "/dashboard?limit=x", "", http.StatusBadRequest},
		{"GET", "/dashboard?limit=0", "", http.StatusBadRequest},
		{"GET", "/dashboard?limit=501", "", http.StatusBadRequest},
		{"GET", "/nowhere", "", http.StatusNotFound},

		{"POST", "/customers", `{"name": "Ann",`, http.StatusBadRequest},
		{"POST", "/customers", ``, http.StatusBadRequest},
		{"POST", "/customers", `[]`, http.StatusBadRequest},
		{"POST", "/customers", `{"name": "Ann"}`, http.StatusBadRequest},
		{"POST", "/customers", `{"storeCode": "BER", "name": "Ann", "preName": "Smith", "email": "nope"}`, http.StatusBadRequest},
		{"POST", "/customers", `{"storeCode": "BER", "name": "Ann", "preName": "Smith", "email": "a@b", "age": 3}`, http.StatusBadRequest},
		{"POST", "/customers", validCustomer + `{}`, http.StatusBadRequest},
		{"POST", "/customers", `{"id": 3, "storeCode": "BER", "name": "Ann", "preName": "Smith", "email": "a@b"}`, http.StatusBadRequest},
		{"POST", "/customers", big, http.StatusRequestEntityTooLarge},
		{"PUT", "/customers/1", `{"name": 1}`, http.StatusBadRequest},
		{"PUT", "/customers/1", `{"id": 2, "storeCode": "BER", "name": "Ann", "preName": "Smith", "email": "a@b"}`, http.StatusBadRequest},
		{"PUT", "/customers/1", big, http.StatusRequestEntityTooLarge},
		{"PUT", "/customers/abc", validCustomer, http.StatusBadRequest},
		{"PUT", "/customers/9999", validCustomer, http.StatusNotFound},
		{"DELETE", "/customers/abc", "", http.StatusBadRequest},
		{"DELETE", "/customers/9999", "", http.StatusNotFound},
		{"DELETE", "/customers", "", http.StatusBadRequest},
		{"POST", "/orders", `{"status": "paid"}`, http.StatusBadRequest},
		{"POST", "/orders", `{"customerId": 1, "status": "lost", "total": 5}`, http.StatusBadRequest},
		{"POST", "/orders", `{"customerId": 1, "status": "paid", "total": -5}`, http.StatusBadRequest},
		{"POST", "/orders", `{"customerId": 9999, "status": "paid", "total": 5}`, http.StatusUnprocessableEntity},
		{"POST", "/orders", `not json`, http.StatusBadRequest},

		{"PATCH", "/customers/1", "", http.StatusMethodNotAllowed},
		{"POST", "/customers/1", validCustomer, http.StatusMethodNotAllowed},
		{"PUT", "/dashboard", "", http.StatusMethodNotAllowed},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, m.cacheOn)
			for _, tt := range tests {
				what := tt.method + " " + tt.path
				if len(tt.body) < 100 {
					what += " " + tt.body
				}
				var got struct{ Error string }
				r := do(t, srv, tt.method, tt.path, tt.body)
				r.expect(t, what, tt.want, &got)
				if got.Error == "" || r.header.Get("Content-Type") != "application/json" {
					t.Errorf("%s: Content-Type %q, body %s; want a JSON error", what, r.header.Get("Content-Type"), r.body)
				}
				if tt.want == http.StatusMethodNotAllowed && r.header.Get("Allow") == "" {
					t.Errorf("%s: no Allow header", what)
				}
			}
		})
	}
}

func TestServe_ShutsDownWhenContextEnds(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	inHandler := make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(inHandler)
		<-release
		w.WriteHeader(http.StatusNoContent)
	})}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serve(ctx, srv, ln) }()

	got := make(chan int, 1)
	go func() {
		res, err := http.Get("http://" + ln.Addr().String())
		if err != nil {
			got <- 0
			return
		}
		res.Body.Close()
		got <- res.StatusCode
	}()
	<-inHandler
	cancel() // shutdown waits for the request under way
	close(release)
	if code := <-got; code != http.StatusNoContent {
		t.Errorf("request under way at shutdown: status %d; want 204", code)
	}
	if err := <-served; err != nil {
		t.Errorf("serve() = %v; want nil", err)
	}
	if _, err := http.Get("http://" + ln.Addr().String()); err == nil {
		t.Errorf("GET after shutdown succeeded; want an error")
	}
}

func TestRun_BadFlags(t *testing.T) {
	err := run(context.Background(), []string{"-seed", "many"}, io.Discard)
	if err == nil || errors.Is(err, context.Canceled) {
		t.Errorf("run(-seed many) = %v; want a flag error", err)
	}
}
