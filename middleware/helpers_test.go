package middleware_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// customer is the domain type of the tests and examples.
type customer struct {
	ID   int64
	Name string
}

var (
	customers  = region.New[customer, int64]("Customer")
	customerID = region.NewParam[int64]("customerID")
)

// db stands for a database: it counts the loads that reach it.
type db struct {
	loads atomic.Int64
}

func (d *db) GetCustomer(_ context.Context, id int64) (customer, error) {
	d.loads.Add(1)
	return customer{ID: id, Name: fmt.Sprintf("customer %d", id)}, nil
}

// repo is a cached repository over a db.
type repo struct {
	db   *db
	byID *reqcache.Func1[int64, customer]
}

func newRepo() *repo {
	d := &db{}
	return &repo{
		db: d,
		byID: reqcache.Cache1(customers, d.GetCustomer, customerID,
			reqcache.IDFromParam(customerID), reqcache.Name("GetCustomer")),
	}
}

// reads returns a handler that reads the customers of ids through repo,
// in order, and then calls then, if it is not nil.
func reads(repo *repo, then http.HandlerFunc, ids ...int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for _, id := range ids {
			if _, err := repo.byID.Get(r.Context(), id); err != nil {
				panic(err)
			}
		}
		if then != nil {
			then(w, r)
		}
	}
}

// durValue matches the dur parameter of the reqcache Server-Timing entry:
// milliseconds with at most three decimals and no trailing zero.
var durValue = regexp.MustCompile(`^reqcache;dur=(0|[1-9][0-9]*)(\.[0-9]{0,2}[1-9])?;`)

// durOf returns the dur of the reqcache Server-Timing entry, in
// milliseconds, and the entry with the value replaced by "…", as the
// tests compare it: dur is not the same from run to run. It fails the test
// if entry has no dur in the Server-Timing format.
func durOf(t *testing.T, entry string) (float64, string) {
	t.Helper()
	m := durValue.FindStringSubmatch(entry)
	if m == nil {
		t.Fatalf("Server-Timing entry %q: no dur in milliseconds", entry)
	}
	ms, err := strconv.ParseFloat(m[1]+m[2], 64)
	if err != nil {
		t.Fatalf("Server-Timing entry %q: dur: %v", entry, err)
	}
	return ms, "reqcache;dur=…;" + entry[len(m[0]):]
}

// timings returns the Server-Timing entries of h, with the dur of the
// reqcache entry replaced by "…".
func timings(t *testing.T, h http.Header) []string {
	t.Helper()
	var out []string
	for _, v := range h.Values("Server-Timing") {
		if strings.HasPrefix(v, "reqcache;") {
			_, v = durOf(t, v)
		}
		out = append(out, v)
	}
	return out
}

// timing returns the one Server-Timing entry of h, as timings does.
func timing(t *testing.T, h http.Header) string {
	t.Helper()
	v := timings(t, h)
	if len(v) != 1 {
		t.Fatalf("Server-Timing = %q; want one entry", v)
	}
	return v[0]
}
