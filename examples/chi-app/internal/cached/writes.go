package cached

import (
	"context"

	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/region"
)

// writes are the write methods of Repo. Each calls the store, and once the
// write succeeded invalidates the entries it made stale, so that the next
// read in the same request loads fresh data.
type writes struct {
	createCustomer  func(context.Context, store.Customer) (store.Customer, error)
	updateCustomer  func(context.Context, store.Customer) error
	deleteCustomer  func(context.Context, int64) error
	deleteByPreName func(context.Context, string) (int64, error)
	createOrder     func(context.Context, store.Order) (store.Order, error)
}

func newWrites(db *store.Store) writes {
	return writes{
		// A new customer may belong to lists that were cached without it,
		// and may have been looked up by ID before it existed.
		createCustomer: invalidate.After1R(db.CreateCustomer, func(_, c store.Customer) []region.Target {
			return append(listsOf(c), Customers.Tag(c.ID))
		}),
		// By unique ID: every entry about the customer, in every method,
		// and the orders tagged with it; and the lists its new values put
		// it in.
		updateCustomer: invalidate.After1(db.UpdateCustomer, func(c store.Customer) []region.Target {
			return append(listsOf(c), Customers.Tag(c.ID))
		}),
		// The customer's entries, and its orders, deleted with it.
		deleteCustomer: invalidate.After1(db.DeleteCustomer, func(id int64) []region.Target {
			return []region.Target{Customers.Tag(id), Orders.Where(CustomerID.Is(id))}
		}),
		// By a partial parameter: every Customer entry whose preName is
		// preName, whatever its name. Methods that do not declare preName
		// (the store lists) lose all their entries. The customers' orders
		// are deleted with them, and which they are is not known here: the
		// whole Order region goes.
		deleteByPreName: invalidate.After1R(db.DeleteCustomersByPreName, func(preName string, _ int64) []region.Target {
			return []region.Target{Customers.Where(PreName.Is(preName)), Orders.Where()}
		}),
		// A new order changes the lists of orders: the whole Order region
		// goes.
		createOrder: invalidate.After1R(db.CreateOrder, func(store.Order, store.Order) []region.Target {
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

// DeleteCustomer deletes the customer with the given ID, and its orders.
func (w *writes) DeleteCustomer(ctx context.Context, id int64) error {
	return w.deleteCustomer(ctx, id)
}

// DeleteCustomersByPreName deletes the customers with the given preName,
// and their orders, and returns how many customers it deleted.
func (w *writes) DeleteCustomersByPreName(ctx context.Context, preName string) (int64, error) {
	return w.deleteByPreName(ctx, preName)
}

// CreateOrder stores a new order, and returns it with its ID.
func (w *writes) CreateOrder(ctx context.Context, o store.Order) (store.Order, error) {
	return w.createOrder(ctx, o)
}
