package reqcachetest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
	"github.com/reqcache/reqcache/reqcachetest"
)

type customer struct {
	ID   int64
	Name string
}

var (
	customers  = region.New[customer, int64]("reqcachetestCustomer")
	customerID = region.NewParam[int64]("customerID")
)

// repo is a repository whose update may forget to invalidate.
type repo struct {
	mu   sync.Mutex
	rows map[int64]customer
	byID *reqcache.Func1[int64, customer]
}

func newRepo() *repo {
	r := &repo{rows: map[int64]customer{1: {1, "Ann"}}}
	r.byID = reqcache.Cache1(customers, func(_ context.Context, id int64) (customer, error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		return r.rows[id], nil
	}, customerID, reqcache.IDFromParam(customerID), reqcache.Name("GetCustomer"))
	return r
}

func (r *repo) rename(ctx context.Context, id int64, name string, forget bool) {
	r.mu.Lock()
	r.rows[id] = customer{id, name}
	r.mu.Unlock()
	if !forget {
		invalidate.ID(ctx, customers, id)
	}
}

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestScope(t *testing.T) {
	tests := []struct {
		name       string
		forget     bool
		wantFailed bool
	}{
		{"invalidates", false, false},
		{"forgets to invalidate", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			r := newRepo()
			ctx, _ := reqcachetest.Scope(rec, context.Background())
			_, _ = r.byID.Get(ctx, 1)
			r.rename(ctx, 1, "Bob", tt.forget)
			_, _ = r.byID.Get(ctx, 1)
			if failed := len(rec.errors) > 0; failed != tt.wantFailed {
				t.Fatalf("failures = %q; want failed = %v", rec.errors, tt.wantFailed)
			}
			if tt.wantFailed && !strings.Contains(rec.errors[0], "stale read: GetCustomer(1)") {
				t.Errorf("failure = %q; want it to name GetCustomer(1)", rec.errors[0])
			}
		})
	}
}

func TestMiddleware(t *testing.T) {
	rec := &recorder{TB: t}
	r := newRepo()
	h := reqcachetest.Middleware(rec)(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx := req.Context()
		_, _ = r.byID.Get(ctx, 1)
		r.rename(ctx, 1, "Cid", true)
		c, _ := r.byID.Get(ctx, 1)
		fmt.Fprint(w, c.Name)
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if len(rec.errors) != 1 {
		t.Errorf("failures = %q; want one stale read", rec.errors)
	}
}
