package otel_test

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// Customer and Order are the domain types of the tests.
type Customer struct {
	ID   int64
	Name string
}

type Order struct {
	ID         int64
	CustomerID int64
}

var (
	Customers  = region.New[Customer, int64]("Customer")
	Orders     = region.New[Order, int64]("Order")
	CustomerID = region.NewParam[int64]("customerID")
	OrderID    = region.NewParam[int64]("orderID")
)

// The customer IDs that make the repository misbehave.
const (
	missingID   = 404 // not found
	panicID     = 666 // panics
	cancelledID = 499 // returns the error of its context
)

var errNotFound = errors.New("not found")

// repo stands for a SQL repository. It counts its queries.
type repo struct {
	mu      sync.Mutex
	queries int
}

func (r *repo) query() {
	r.mu.Lock()
	r.queries++
	r.mu.Unlock()
}

func (r *repo) GetCustomer(ctx context.Context, id int64) (Customer, error) {
	r.query()
	switch id {
	case missingID:
		return Customer{}, errNotFound
	case panicID:
		panic("boom")
	case cancelledID:
		return Customer{}, context.Cause(ctx)
	}
	return Customer{ID: id, Name: fmt.Sprintf("customer %d", id)}, nil
}

func (r *repo) GetCustomers(_ context.Context, ids []int64) (map[int64]Customer, error) {
	r.query()
	m := make(map[int64]Customer, len(ids))
	for _, id := range ids {
		m[id] = Customer{ID: id, Name: fmt.Sprintf("customer %d", id)}
	}
	return m, nil
}

// cachedRepo wraps repo's methods.
type cachedRepo struct {
	db        *repo
	customer  *reqcache.Func1[int64, Customer]
	customers *reqcache.Batch[int64, Customer]
	order     *reqcache.Func1[int64, Order]
}

func newCachedRepo(db *repo) *cachedRepo {
	r := &cachedRepo{db: db}
	r.customer = reqcache.Cache1(Customers, db.GetCustomer, CustomerID, reqcache.IDFromParam(CustomerID), reqcache.Name("GetCustomer"))
	r.customers = reqcache.CacheBatch(Customers, db.GetCustomers, reqcache.Name("GetCustomers"))
	r.order = reqcache.Cache1(Orders, r.getOrder, OrderID, reqcache.Name("GetOrder"))
	return r
}

// getOrder loads an order and, through the cache, its customer: a load
// inside a load.
func (r *cachedRepo) getOrder(ctx context.Context, id int64) (Order, error) {
	r.db.query()
	o := Order{ID: id, CustomerID: id % 10}
	_, err := r.customer.Get(ctx, o.CustomerID)
	return o, err
}
