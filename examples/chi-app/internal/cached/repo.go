package cached

import (
	"context"
	"errors"
	"fmt"

	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// Repo is the cached repository. Its methods are safe for concurrent use;
// the values they return are shared with the request cache and must not be
// modified.
type Repo struct {
	db store.Store

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
func New(db store.Store) *Repo {
	name := reqcache.ParamFromResult(Name, func(c store.Customer) string { return c.Name })
	preName := reqcache.ParamFromResult(PreName, func(c store.Customer) string { return c.PreName })
	storeCode := reqcache.ParamFromResult(StoreCode, func(c store.Customer) string { return c.StoreCode })
	r := &Repo{db: db}

	// Every cached method reads through the transaction its context is
	// in, if any (see inTx), else through the store.
	//
	// A customer's entries declare the customer's name, preName and
	// store, so that invalidating them by those parameters removes
	// exactly the customers that have them.
	r.customer = reqcache.Cache1(Customers, via1(r, store.Querier.Customer), CustomerID, reqcache.Name("Customer"), reqcache.IDFromParam(CustomerID), name, preName, storeCode)
	// The batch fills the entries of r.customer: the dashboard's customers
	// are hits for a GET /customers/{id} of the same request.
	r.customers = r.customer.Batch(via1(r, store.Querier.CustomersByIDs))
	r.byFullName = reqcache.Cache2(Customers, via2(r, store.Querier.CustomersByFullName), Name, PreName, reqcache.Name("CustomersByFullName"), reqcache.IDsFromResult(customerIDs))
	r.ofStore = reqcache.Cache1(Customers, via1(r, store.Querier.CustomersOfStore), StoreCode, reqcache.Name("CustomersOfStore"), reqcache.IDsFromResult(customerIDs))

	// Orders are tagged with their customers: deleting a customer
	// deletes its orders, so it must remove their entries too.
	r.order = reqcache.Cache1(Orders, via1(r, store.Querier.Order), OrderID, reqcache.Name("Order"), reqcache.IDFromParam(OrderID),
		reqcache.TagsFromResult(customerTag),
		reqcache.ParamFromResult(CustomerID, func(o store.Order) int64 { return o.CustomerID }))
	r.ordersOf = reqcache.Cache1(Orders, via1(r, store.Querier.OrdersOfCustomer), CustomerID, reqcache.Name("OrdersOfCustomer"),
		reqcache.IDsFromResult(orderIDs), reqcache.TagsFromResult(customerTags))
	r.recent = reqcache.Cache1(Orders, via1(r, store.Querier.RecentOrders), Limit, reqcache.Name("RecentOrders"),
		reqcache.IDsFromResult(orderIDs), reqcache.TagsFromResult(customerTags))

	r.writes = newWrites(r)
	return r
}

// via1 returns the function that calls the method m of the querier of its
// context: a cached method's loader.
func via1[A, V any](r *Repo, m func(store.Querier, context.Context, A) (V, error)) func(context.Context, A) (V, error) {
	return func(ctx context.Context, a A) (V, error) { return m(r.querier(ctx), ctx, a) }
}

// via2 is via1 for methods of two arguments.
func via2[A, B, V any](r *Repo, m func(store.Querier, context.Context, A, B) (V, error)) func(context.Context, A, B) (V, error) {
	return func(ctx context.Context, a A, b B) (V, error) { return m(r.querier(ctx), ctx, a, b) }
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

// CustomerWithOrders returns a customer and its orders, newest first, as
// one snapshot of the database.
func (r *Repo) CustomerWithOrders(ctx context.Context, id int64) (c store.Customer, orders []store.Order, err error) {
	err = r.inTx(ctx, store.ReadOnly, reads(func(ctx context.Context) error {
		if c, err = r.customer.Get(ctx, id); err != nil {
			return err
		}
		orders, err = r.ordersOf.Get(ctx, id)
		return err
	}))
	return c, orders, err
}

// Order returns the order with the given ID, with its customer, as one
// snapshot of the database.
func (r *Repo) Order(ctx context.Context, id int64) (o store.Order, err error) {
	err = r.inTx(ctx, store.ReadOnly, reads(func(ctx context.Context) error {
		if o, err = r.order.Get(ctx, id); err != nil {
			return err
		}
		o, err = r.withCustomer(ctx, o)
		return err
	}))
	return o, err
}

// RecentOrders returns the limit most recent orders, newest first, each
// with its customer: the dashboard, as one snapshot of the database, so
// that a customer deleted while the page is read does not go missing.
//
// It reads each order's customer on its own, as code that renders one order
// at a time does, after loading all of them with one batched query into the
// request cache. With the cache that makes two queries in all; without it,
// the batch has nowhere to keep its result and is skipped, and the page
// makes one query for the orders and one per order for its customer.
func (r *Repo) RecentOrders(ctx context.Context, limit int) (out []store.Order, err error) {
	err = r.inTx(ctx, store.ReadOnly, reads(func(ctx context.Context) error {
		list, err := r.recent.Get(ctx, limit)
		if err != nil {
			return err
		}
		if reqcache.FromContext(ctx) != nil {
			ids := make([]int64, len(list))
			for i, o := range list {
				ids[i] = o.CustomerID
			}
			if _, err := r.customers.Get(ctx, ids); err != nil {
				return err
			}
		}
		out = make([]store.Order, len(list)) // a copy: list belongs to the cache
		for i, o := range list {
			if out[i], err = r.withCustomer(ctx, o); err != nil {
				return err
			}
		}
		return nil
	}))
	return out, err
}

// reads turns the reads of a read-only transaction into a txFunc.
func reads(fn func(ctx context.Context) error) txFunc {
	return func(ctx context.Context, _ store.Querier) ([]region.Target, error) { return nil, fn(ctx) }
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
