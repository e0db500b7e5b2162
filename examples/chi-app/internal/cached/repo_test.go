package cached_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/reqcache/reqcache/examples/chi-app/internal/cached"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store/storetest"
	"github.com/reqcache/reqcache/reqcache"
)

// seeded is the number of customers of the test database: customers 1 to
// 20 have the preName Smith, 21 to 40 Jones; customers 1 and 21 are named
// Ann.
const seeded = 40

// request is one request's view of the repository: its context, with a
// request cache unless it was made without, and its query counter.
type request struct {
	t       *testing.T
	ctx     context.Context
	repo    *cached.Repo
	queries *store.QueryCounter
}

// forEachKind runs test as a subtest on each kind of database.
func forEachKind(t *testing.T, test func(t *testing.T, kind string)) {
	t.Helper()
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			test(t, kind)
		})
	}
}

func newRequest(t *testing.T, kind string, withCache bool) *request {
	t.Helper()
	db, _ := storetest.Open(t, kind, seeded)
	return newRequestOn(t, db, withCache)
}

func newRequestOn(t *testing.T, db store.Store, withCache bool) *request {
	t.Helper()
	ctx, queries := store.WithQueryCounter(context.Background())
	if withCache {
		var c *reqcache.Cache
		ctx, c = reqcache.Scope(ctx)
		t.Cleanup(c.Close)
	}
	return &request{t: t, ctx: ctx, repo: cached.New(db), queries: queries}
}

// costs runs f, and fails the test unless it ran want queries.
func (r *request) costs(want int64, what string, f func() error) {
	r.t.Helper()
	before := r.queries.N()
	if err := f(); err != nil {
		r.t.Fatalf("%s: %v", what, err)
	}
	if got := r.queries.N() - before; got != want {
		r.t.Errorf("%s ran %d queries; want %d", what, got, want)
	}
}

func TestRepo_ReadsOnce(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind string) {
		r := newRequest(t, kind, true)
		for i, want := range []int64{1, 0, 0} {
			r.costs(want, fmt.Sprintf("Customer(1), call %d", i+1), func() error {
				c, err := r.repo.Customer(r.ctx, 1)
				if err == nil && c != store.SeedCustomer(1) {
					t.Errorf("Customer(1) = %+v; want %+v", c, store.SeedCustomer(1))
				}
				return err
			})
		}
	})
}

func TestRepo_WithoutCache(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind string) {
		r := newRequest(t, kind, false)
		for range 2 {
			r.costs(1, "Customer(1) without a cache", func() error {
				_, err := r.repo.Customer(r.ctx, 1)
				return err
			})
		}
		r.costs(1+5, "RecentOrders(5) without a cache", func() error {
			_, err := r.repo.RecentOrders(r.ctx, 5)
			return err
		})
	})
}

func TestRepo_RecentOrders(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind string) {
		r := newRequest(t, kind, true)
		r.costs(2, "RecentOrders(50)", func() error {
			list, err := r.repo.RecentOrders(r.ctx, 50)
			for _, o := range list {
				if o.Customer == nil || o.Customer.ID != o.CustomerID {
					t.Errorf("RecentOrders(50) holds %+v; want each order with its customer", o)
				}
			}
			return err
		})
		r.costs(0, "RecentOrders(50) again", func() error { return second(r.repo.RecentOrders(r.ctx, 50)) })
	})
}

// UpdateCustomer invalidates by unique ID: every entry about the customer,
// in every method, and the orders tagged with it; and nothing else.
func TestRepo_UpdateCustomer(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind string) {
		r := newRequest(t, kind, true)
		old := store.SeedCustomer(5)
		var order store.Order
		// Order's customer and Customer(5) share one entry (see
		// Func1.Batch): 6 queries, not 7.
		r.costs(6, "the reads", func() error {
			list, err := r.repo.OrdersOfCustomer(r.ctx, 5)
			if err != nil || len(list) == 0 {
				t.Fatalf("OrdersOfCustomer(5) = %v, %v; want orders", list, err)
			}
			order, err = r.repo.Order(r.ctx, list[0].ID)
			return errors.Join(err,
				second(r.repo.Customer(r.ctx, 5)),
				second(r.repo.Customer(r.ctx, 6)),
				second(r.repo.CustomersByFullName(r.ctx, old.Name, old.PreName)),
				second(r.repo.CustomersOfStore(r.ctx, old.StoreCode)))
		})
		updated := store.Customer{ID: 5, StoreCode: "NEW", Name: "Eve", PreName: "Moved", Email: "eve@example.com"}
		r.costs(1, "UpdateCustomer", func() error { return r.repo.UpdateCustomer(r.ctx, updated) })

		r.costs(0, "Customer(6), unrelated", func() error { return second(r.repo.Customer(r.ctx, 6)) })
		r.costs(1, "Customer(5)", func() error {
			c, err := r.repo.Customer(r.ctx, 5)
			if err == nil && c != updated {
				t.Errorf("Customer(5) after UpdateCustomer = %+v; want %+v", c, updated)
			}
			return err
		})
		// The order again; its customer is the entry Customer(5) loaded.
		r.costs(1, "Order, with customer 5", func() error {
			o, err := r.repo.Order(r.ctx, order.ID)
			if err == nil && *o.Customer != updated {
				t.Errorf("Order(%d).Customer after UpdateCustomer = %+v; want %+v", order.ID, *o.Customer, updated)
			}
			return err
		})
		r.costs(1, "CustomersByFullName, old name", func() error {
			cs, err := r.repo.CustomersByFullName(r.ctx, old.Name, old.PreName)
			if err == nil && len(cs) != 0 {
				t.Errorf("CustomersByFullName(%s, %s) after the rename = %+v; want []", old.Name, old.PreName, cs)
			}
			return err
		})
		r.costs(1, "CustomersOfStore, old store", func() error { return second(r.repo.CustomersOfStore(r.ctx, old.StoreCode)) })
	})
}

// DeleteCustomersByPreName invalidates by a partial parameter: the entries
// of customers with the preName go, whatever their names; the others stay.
func TestRepo_DeleteCustomersByPreName(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind string) {
		r := newRequest(t, kind, true)
		smith, jones := store.SeedCustomer(1), store.SeedCustomer(21)
		r.costs(4, "the reads", func() error {
			return errors.Join(
				second(r.repo.CustomersByFullName(r.ctx, smith.Name, smith.PreName)),
				second(r.repo.CustomersByFullName(r.ctx, jones.Name, jones.PreName)),
				second(r.repo.Customer(r.ctx, smith.ID)),
				second(r.repo.Customer(r.ctx, jones.ID)))
		})
		r.costs(2, "DeleteCustomersByPreName(Smith)", func() error {
			n, err := r.repo.DeleteCustomersByPreName(r.ctx, smith.PreName)
			if err == nil && n != 20 {
				t.Errorf("DeleteCustomersByPreName(Smith) = %d; want 20", n)
			}
			return err
		})
		r.costs(0, "the Jones entries", func() error {
			return errors.Join(
				second(r.repo.CustomersByFullName(r.ctx, jones.Name, jones.PreName)),
				second(r.repo.Customer(r.ctx, jones.ID)))
		})
		r.costs(1, "CustomersByFullName(Ann, Smith)", func() error {
			cs, err := r.repo.CustomersByFullName(r.ctx, smith.Name, smith.PreName)
			if err == nil && len(cs) != 0 {
				t.Errorf("CustomersByFullName(Ann, Smith) after the delete = %+v; want []", cs)
			}
			return err
		})
		r.costs(1, "Customer(1)", func() error {
			if _, err := r.repo.Customer(r.ctx, smith.ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Customer(1) after the delete: error %v; want store.ErrNotFound", err)
			}
			return nil
		})
	})
}

func TestRepo_DeleteCustomer(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind string) {
		r := newRequest(t, kind, true)
		var orders []store.Order
		r.costs(3, "the reads", func() error {
			var err error
			orders, err = r.repo.OrdersOfCustomer(r.ctx, 9)
			if len(orders) == 0 {
				t.Fatalf("OrdersOfCustomer(9) = %v, %v; want orders", orders, err)
			}
			return errors.Join(err, second(r.repo.Customer(r.ctx, 9)), second(r.repo.Customer(r.ctx, 10)))
		})
		r.costs(2, "DeleteCustomer(9)", func() error { return r.repo.DeleteCustomer(r.ctx, 9) })
		r.costs(0, "Customer(10), unrelated", func() error { return second(r.repo.Customer(r.ctx, 10)) })
		r.costs(3, "the reads again", func() error {
			list, err := r.repo.OrdersOfCustomer(r.ctx, 9)
			if err == nil && len(list) != 0 {
				t.Errorf("OrdersOfCustomer(9) after the delete = %+v; want []", list)
			}
			if _, err := r.repo.Customer(r.ctx, 9); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Customer(9) after the delete: error %v; want store.ErrNotFound", err)
			}
			if _, err := r.repo.Order(r.ctx, orders[0].ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Order(%d) after the delete: error %v; want store.ErrNotFound", orders[0].ID, err)
			}
			return err
		})
	})
}

func TestRepo_CreateCustomer(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind string) {
		r := newRequest(t, kind, true)
		r.costs(1, "CustomersByFullName(Zoe, Quist)", func() error {
			return second(r.repo.CustomersByFullName(r.ctx, "Zoe", "Quist"))
		})
		var created store.Customer
		r.costs(1, "CreateCustomer", func() error {
			var err error
			created, err = r.repo.CreateCustomer(r.ctx, store.Customer{StoreCode: "BER", Name: "Zoe", PreName: "Quist", Email: "zoe@example.com"})
			return err
		})
		r.costs(1, "CustomersByFullName(Zoe, Quist) again", func() error {
			cs, err := r.repo.CustomersByFullName(r.ctx, "Zoe", "Quist")
			if want := []store.Customer{created}; err == nil && !reflect.DeepEqual(cs, want) {
				t.Errorf("CustomersByFullName(Zoe, Quist) after CreateCustomer = %+v; want %+v", cs, want)
			}
			return err
		})
	})
}

func TestRepo_CreateOrder(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind string) {
		r := newRequest(t, kind, true)
		var newest store.Order
		r.costs(2, "RecentOrders(1)", func() error {
			list, err := r.repo.RecentOrders(r.ctx, 1)
			if err == nil {
				newest = list[0]
			}
			return err
		})
		var created store.Order
		r.costs(1, "CreateOrder", func() error {
			var err error
			created, err = r.repo.CreateOrder(r.ctx, store.Order{CustomerID: newest.CustomerID, Status: "paid", Total: 100})
			return err
		})
		r.costs(1, "RecentOrders(1) again: its customer is cached", func() error {
			list, err := r.repo.RecentOrders(r.ctx, 1)
			if err == nil && (len(list) != 1 || list[0].ID != created.ID) {
				t.Errorf("RecentOrders(1) after CreateOrder = %+v; want order %d", list, created.ID)
			}
			return err
		})
	})
}

// second returns the error of a call that returns a value and an error.
func second[V any](_ V, err error) error { return err }
