package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
)

func open(t *testing.T) *store.Store {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestSeed_OnceAndDeterministic(t *testing.T) {
	ctx := context.Background()
	a, b := open(t), open(t)
	for _, db := range []*store.Store{a, b} {
		if seeded, err := db.Seed(ctx, 10); !seeded || err != nil {
			t.Fatalf("Seed(10) of an empty database = %v, %v; want true, nil", seeded, err)
		}
	}
	if seeded, err := a.Seed(ctx, 10); seeded || err != nil {
		t.Errorf("Seed(10) of a seeded database = %v, %v; want false, nil", seeded, err)
	}
	for id := int64(1); id <= 10; id++ {
		oa, errA := a.OrdersOfCustomer(ctx, id)
		ob, errB := b.OrdersOfCustomer(ctx, id)
		if errA != nil || errB != nil || !reflect.DeepEqual(oa, ob) {
			t.Errorf("OrdersOfCustomer(%d) of two seeds = %v, %v and %v, %v; want the same", id, oa, errA, ob, errB)
		}
	}
}

func TestQueryCounter(t *testing.T) {
	db := open(t)
	if _, err := db.Seed(context.Background(), 5); err != nil {
		t.Fatal(err)
	}
	ctx, n := store.WithQueryCounter(context.Background())
	if _, err := db.Customer(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Customer(ctx, 99); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Customer(99): error %v; want ErrNotFound", err)
	}
	m, err := db.CustomersByIDs(ctx, []int64{1, 2, 99})
	if err != nil || len(m) != 2 || m[2] != store.SeedCustomer(2) {
		t.Errorf("CustomersByIDs(1, 2, 99) = %v, %v; want customers 1 and 2", m, err)
	}
	if _, err := db.CustomersByIDs(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got := n.N(); got != 3 {
		t.Errorf("N() after 3 queries and an empty batch = %d; want 3", got)
	}
	if got := store.QueryCounterFrom(context.Background()).N(); got != 0 {
		t.Errorf("N() of no counter = %d; want 0", got)
	}
}

func TestCreateOrder_UnknownCustomer(t *testing.T) {
	db := open(t)
	_, err := db.CreateOrder(context.Background(), store.Order{CustomerID: 1, Status: "paid", Total: 1})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("CreateOrder for customer 1 of an empty database: error %v; want ErrNotFound", err)
	}
}
