package middleware_test

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"

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
