package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

const validCustomer = `{"storeCode": "BER", "name": "Ann", "preName": "Smith", "email": "ann@example.com"}`

// Bad input gets a JSON error and a 4xx, never a 500 or a dropped
// connection.
func TestErrors(t *testing.T) {
	big := `{"name": "` + strings.Repeat("x", 1<<20) + `"}`
	manyParams := strings.Repeat("a=1&", 10_001)[:4*10_001-1] // net/url takes 10,000
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
		{"GET", "/dashboard?limit=%zz", "", http.StatusBadRequest},
		{"GET", "/dashboard?limit=5;x=1", "", http.StatusBadRequest},
		{"GET", "/dashboard?" + manyParams + "&limit=5", "", http.StatusBadRequest},
		{"GET", "/customers?" + manyParams + "&name=Ann&preName=Smith", "", http.StatusBadRequest},
		{"GET", "/dashboard?limit=" + strings.Repeat("9", 100_000), "", http.StatusBadRequest},
		{"GET", "/customers/" + strings.Repeat("x", 100_000), "", http.StatusBadRequest},

		{"POST", "/customers", `{"name": "Ann",`, http.StatusBadRequest},
		{"POST", "/customers", ``, http.StatusBadRequest},
		{"POST", "/customers", `[]`, http.StatusBadRequest},
		{"POST", "/customers", `{"name": "Ann"}`, http.StatusBadRequest},
		{"POST", "/customers", `{"storeCode": "BER", "name": "Ann", "preName": "Smith", "email": "nope"}`, http.StatusBadRequest},
		{"POST", "/customers", `{"storeCode": "BER", "name": "Ann", "preName": "Smith", "email": "a@b", "age": 3}`, http.StatusBadRequest},
		{"POST", "/customers", validCustomer + `{}`, http.StatusBadRequest},
		{"POST", "/customers", `{"id": 3, "storeCode": "BER", "name": "Ann", "preName": "Smith", "email": "a@b"}`, http.StatusBadRequest},
		{"POST", "/customers", big, http.StatusRequestEntityTooLarge},
		{"POST", "/customers", `{"` + strings.Repeat("x", 500_000) + `": 1}`, http.StatusBadRequest},
		{"POST", "/customers", `{"storeCode": "BER", "name": "Ann", "preName": "Smith", "email": "` + strings.Repeat("x", 500_000) + `"}`, http.StatusBadRequest},
		{"POST", "/orders", `{"customerId": 1, "status": "` + strings.Repeat("x", 500_000) + `", "total": 5}`, http.StatusBadRequest},
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
	forEachStoreAndMode(t, func(t *testing.T, srv *testServer, _ bool) {
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
			if len(r.body) > 300 {
				t.Errorf("%s: a body of %d bytes; want at most 300, quoting a short prefix of the input", what, len(r.body))
			}
		}
		if lines := srv.logs.lines("level=ERROR"); len(lines) > 0 {
			t.Errorf("bad input logged errors: %q", lines)
		}
	})
}

func TestRun_BadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-seed", "many"},
		{"-server-timing", "some"},
	} {
		err := run(context.Background(), args, io.Discard)
		if err == nil || errors.Is(err, context.Canceled) {
			t.Errorf("run(%q) = %v; want a flag error", args, err)
		}
	}
}

// clipped returns s, or its first 100 bytes and how long it is, for test
// failure messages.
func clipped(s string) string {
	if len(s) <= 100 {
		return s
	}
	return fmt.Sprintf("%s... (%d bytes)", s[:100], len(s))
}
