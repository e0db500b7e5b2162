package cached_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store/storetest"
)

// A delete whose second statement fails rolls back the first, and
// invalidates nothing: the cached entries are still right, and are kept.
func TestRepo_DeleteCustomer_RollsBack(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind string) {
		db, dsn := storetest.Open(t, kind, seeded)
		storetest.RefuseDelete(t, dsn, 9)
		r := newRequestOn(t, db, true)
		var orders []store.Order
		var customer store.Customer
		r.costs(2, "the reads", func() error {
			var err error
			if orders, err = r.repo.OrdersOfCustomer(r.ctx, 9); err != nil || len(orders) == 0 {
				t.Fatalf("OrdersOfCustomer(9) = %v, %v; want orders", orders, err)
			}
			customer, err = r.repo.Customer(r.ctx, 9)
			return err
		})
		r.costs(2, "DeleteCustomer(9), refused at its second statement", func() error {
			if err := r.repo.DeleteCustomer(r.ctx, 9); err == nil || !strings.Contains(err.Error(), "delete refused") {
				t.Errorf("DeleteCustomer(9) = %v; want the trigger's error", err)
			}
			return nil
		})
		r.costs(0, "the reads again, from the cache", func() error {
			got, err := r.repo.OrdersOfCustomer(r.ctx, 9)
			if err == nil && !reflect.DeepEqual(got, orders) {
				t.Errorf("OrdersOfCustomer(9) after the rollback = %v; want %v", got, orders)
			}
			c, err2 := r.repo.Customer(r.ctx, 9)
			if err2 == nil && c != customer {
				t.Errorf("Customer(9) after the rollback = %+v; want %+v", c, customer)
			}
			return errors.Join(err, err2)
		})
		fresh := newRequestOn(t, db, true)
		fresh.costs(2, "the reads in a new request, from the database", func() error {
			got, err := fresh.repo.OrdersOfCustomer(fresh.ctx, 9)
			if err == nil && !reflect.DeepEqual(got, orders) {
				t.Errorf("OrdersOfCustomer(9) in the database after the rollback = %v; want %v, not deleted", got, orders)
			}
			return errors.Join(err, second(fresh.repo.Customer(fresh.ctx, 9)))
		})
	})
}

func TestRepo_DeleteCustomersByPreName_RollsBack(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind string) {
		db, dsn := storetest.Open(t, kind, seeded)
		smith := store.SeedCustomer(1)
		storetest.RefuseDelete(t, dsn, 20) // the last Smith
		r := newRequestOn(t, db, true)
		var before []store.Order
		r.costs(3, "the reads", func() error {
			var err error
			before, err = r.repo.RecentOrders(r.ctx, 500)
			return errors.Join(err, second(r.repo.CustomersByFullName(r.ctx, smith.Name, smith.PreName)))
		})
		r.costs(2, "DeleteCustomersByPreName(Smith), refused at its second statement", func() error {
			if n, err := r.repo.DeleteCustomersByPreName(r.ctx, smith.PreName); err == nil {
				t.Errorf("DeleteCustomersByPreName(Smith) = %d, nil; want the trigger's error", n)
			}
			return nil
		})
		r.costs(0, "the reads again, from the cache", func() error {
			got, err := r.repo.RecentOrders(r.ctx, 500)
			if err == nil && !reflect.DeepEqual(got, before) {
				t.Errorf("RecentOrders(500) after the rollback differs from before")
			}
			return errors.Join(err, second(r.repo.CustomersByFullName(r.ctx, smith.Name, smith.PreName)))
		})
		got, err := db.RecentOrders(context.Background(), 500)
		if err != nil || len(got) != len(before) {
			t.Errorf("RecentOrders(500) in the database after the rollback = %d orders, %v; want %d", len(got), err, len(before))
		}
	})
}
