package cached

import (
	"context"
	"errors"
	"fmt"

	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
	"github.com/reqcache/reqcache/reqcache"
)

// Repo is the cached repository. Its methods are safe for concurrent use;
// the values they return are shared with the request cache and must not be
// modified.
type Repo struct {
	db *store.Store

	customer   *reqcache.Func1[int64, store.Customer]
	customers  *reqcache.Batch[int64, store.Customer]
	byFullName *reqcache.Func2[string, string, []store.Customer]
	ofStore    *reqcache.Func1[string, []store.Customer]

	order    *reqcache.Func1[int64, store.Order]
	ordersOf *reqcache.Func1[int64, []store.Order]
	recent   *reqcache.Func1[int, []store.Order]

	writes
}

// New returns the cached repository over db.
func New(db *store.Store) *Repo {
	name := reqcache.ParamFromResult(Name, func(c store.Customer) string { return c.Name })
	preName := reqcache.ParamFromResult(PreName, func(c store.Customer) string { return c.PreName })
	storeCode := reqcache.ParamFromResult(StoreCode, func(c store.Customer) string { return c.StoreCode })
	return &Repo{
		db: db,

		// A customer's entries declare the customer's name, preName and
		// store, so that invalidating them by those parameters removes
		// exactly the customers that have them.
		customer:   reqcache.Cache1(Customers, db.Customer, CustomerID, reqcache.IDFromParam(CustomerID), name, preName, storeCode),
		customers:  reqcache.CacheBatch(Customers, db.CustomersByIDs, name, preName, storeCode),
		byFullName: reqcache.Cache2(Customers, db.CustomersByFullName, Name, PreName, reqcache.IDsFromResult(customerIDs)),
		ofStore:    reqcache.Cache1(Customers, db.CustomersOfStore, StoreCode, reqcache.IDsFromResult(customerIDs)),

		// Orders are tagged with their customers: deleting a customer
		// deletes its orders, so it must remove their entries too.
		order: reqcache.Cache1(Orders, db.Order, OrderID, reqcache.IDFromParam(OrderID),
			reqcache.TagsFromResult(customerTag),
			reqcache.ParamFromResult(CustomerID, func(o store.Order) int64 { return o.CustomerID })),
		ordersOf: reqcache.Cache1(Orders, db.OrdersOfCustomer, CustomerID,
			reqcache.IDsFromResult(orderIDs), reqcache.TagsFromResult(customerTags)),
		recent: reqcache.Cache1(Orders, db.RecentOrders, Limit,
			reqcache.IDsFromResult(orderIDs), reqcache.TagsFromResult(customerTags)),

		writes: newWrites(db),
	}
}

// Customer returns the customer with the given ID.
func (r *Repo) Customer(ctx context.Context, id int64) (store.Customer, error) {
	return r.customer.Get(ctx, id)
}

// CustomersByFullName returns the customers with the given name and
// preName.
func (r *Repo) CustomersByFullName(ctx context.Context, name, preName string) ([]store.Customer, error) {
	return r.byFullName.Get(ctx, name, preName)
}

// CustomersOfStore returns the customers of a store.
func (r *Repo) CustomersOfStore(ctx context.Context, storeCode string) ([]store.Customer, error) {
	return r.ofStore.Get(ctx, storeCode)
}

// OrdersOfCustomer returns the orders of a customer, newest first.
func (r *Repo) OrdersOfCustomer(ctx context.Context, customerID int64) ([]store.Order, error) {
	return r.ordersOf.Get(ctx, customerID)
}

// Order returns the order with the given ID, with its customer.
func (r *Repo) Order(ctx context.Context, id int64) (store.Order, error) {
	o, err := r.order.Get(ctx, id)
	if err != nil {
		return store.Order{}, err
	}
	return r.withCustomer(ctx, o)
}

// RecentOrders returns the limit most recent orders, newest first, each
// with its customer: the dashboard.
//
// It reads each order's customer on its own, as code that renders one order
// at a time does, after loading all of them with one batched query into the
// request cache. With the cache that makes two queries in all; without it,
// the batch has nowhere to keep its result and is skipped, and the page
// makes one query for the orders and one per order for its customer.
func (r *Repo) RecentOrders(ctx context.Context, limit int) ([]store.Order, error) {
	list, err := r.recent.Get(ctx, limit)
	if err != nil {
		return nil, err
	}
	if reqcache.FromContext(ctx) != nil {
		ids := make([]int64, len(list))
		for i, o := range list {
			ids[i] = o.CustomerID
		}
		if _, err := r.customers.Get(ctx, ids); err != nil {
			return nil, err
		}
	}
	out := make([]store.Order, len(list)) // a copy: list belongs to the cache
	for i, o := range list {
		if out[i], err = r.withCustomer(ctx, o); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// withCustomer returns o with its customer.
func (r *Repo) withCustomer(ctx context.Context, o store.Order) (store.Order, error) {
	c, err := r.customers.GetOne(ctx, o.CustomerID)
	if errors.Is(err, reqcache.ErrNotFound) {
		err = fmt.Errorf("cached: customer %d of order %d: %w", o.CustomerID, o.ID, store.ErrNotFound)
	}
	if err != nil {
		return store.Order{}, err
	}
	o.Customer = &c
	return o, nil
}
