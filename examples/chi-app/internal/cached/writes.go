package cached

import (
	"context"

	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/region"
)

// writes are the write methods of Repo. Each writes to the store, and once
// the write succeeded (committed, for the writes of several statements)
// invalidates the entries it made stale, so that the next read in the same
// request loads fresh data.
type writes struct {
	r *Repo

	createCustomer func(context.Context, store.Customer) (store.Customer, error)
	updateCustomer func(context.Context, store.Customer) error
	createOrder    func(context.Context, store.Order) (store.Order, error)
}

// newWrites returns the write methods of r. The writes of one statement
// are wrapped with invalidate.After; the others are methods that run in
// r.inTx.
func newWrites(r *Repo) writes {
	return writes{
		r: r,
		// A new customer may belong to lists that were cached without it,
		// and may have been looked up by ID before it existed.
		createCustomer: invalidate.After1R(r.db.CreateCustomer, func(_, c store.Customer) []region.Target {
			return append(listsOf(c), Customers.Tag(c.ID))
		}),
		// By unique ID: every entry about the customer, in every method,
		// and the orders tagged with it; and the lists its new values put
		// it in.
		updateCustomer: invalidate.After1(r.db.UpdateCustomer, func(c store.Customer) []region.Target {
			return append(listsOf(c), Customers.Tag(c.ID))
		}),
		// A new order changes the lists of orders: the whole Order region
		// goes.
		createOrder: invalidate.After1R(r.db.CreateOrder, func(store.Order, store.Order) []region.Target {
			return []region.Target{Orders.Where()}
		}),
	}
}

// listsOf returns the targets of the lists of customers that c belongs to.
func listsOf(c store.Customer) []region.Target {
	return []region.Target{
		Customers.Where(Name.Is(c.Name), PreName.Is(c.PreName)),
		Customers.Where(StoreCode.Is(c.StoreCode)),
	}
}

// CreateCustomer stores a new customer, and returns it with its ID.
func (w *writes) CreateCustomer(ctx context.Context, c store.Customer) (store.Customer, error) {
	return w.createCustomer(ctx, c)
}

// UpdateCustomer stores c in place of the customer with its ID.
func (w *writes) UpdateCustomer(ctx context.Context, c store.Customer) error {
	return w.updateCustomer(ctx, c)
}

// DeleteCustomer deletes the orders of the customer with the given ID,
// then the customer, in one transaction: if the customer cannot be
// deleted, its orders stay too.
func (w *writes) DeleteCustomer(ctx context.Context, id int64) error {
	return w.r.inTx(ctx, store.ReadWrite, func(ctx context.Context, q store.Querier) ([]region.Target, error) {
		if _, err := q.DeleteOrdersOfCustomer(ctx, id); err != nil {
			return nil, err
		}
		if err := q.DeleteCustomer(ctx, id); err != nil {
			return nil, err
		}
		// The customer's entries, and its orders.
		return []region.Target{Customers.Tag(id), Orders.Where(CustomerID.Is(id))}, nil
	})
}

// DeleteCustomersByPreName deletes the orders of the customers with the
// given preName, then the customers, in one transaction, and returns how
// many customers it deleted.
func (w *writes) DeleteCustomersByPreName(ctx context.Context, preName string) (n int64, err error) {
	err = w.r.inTx(ctx, store.ReadWrite, func(ctx context.Context, q store.Querier) ([]region.Target, error) {
		if _, err := q.DeleteOrdersByPreName(ctx, preName); err != nil {
			return nil, err
		}
		if n, err = q.DeleteCustomersByPreName(ctx, preName); err != nil {
			return nil, err
		}
		// By a partial parameter: every Customer entry whose preName is
		// preName, whatever its name. Methods that do not declare preName
		// (the store lists) lose all their entries. Which orders went is
		// not known here: the whole Order region goes.
		return []region.Target{Customers.Where(PreName.Is(preName)), Orders.Where()}, nil
	})
	return n, err
}

// CreateOrder stores a new order, and returns it with its ID.
func (w *writes) CreateOrder(ctx context.Context, o store.Order) (store.Order, error) {
	return w.createOrder(ctx, o)
}
