package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store/storetest"
)

// forEachKind runs test on a fresh store of each kind, seeded with
// customers customers.
func forEachKind(t *testing.T, customers int, test func(t *testing.T, db store.Store, dsn string)) {
	t.Helper()
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			db, dsn := storetest.Open(t, kind, customers)
			test(t, db, dsn)
		})
	}
}

func TestSeed_OnceAndTheSameInBothKinds(t *testing.T) {
	forEachKind(t, 10, func(t *testing.T, db store.Store, _ string) {
		ctx := context.Background()
		if seeded, err := db.Seed(ctx, 10); seeded || err != nil {
			t.Errorf("Seed(10) of a seeded database = %v, %v; want false, nil", seeded, err)
		}
		for id := 1; id <= 10; id++ {
			c, err := db.Customer(ctx, int64(id))
			if err != nil || c != store.SeedCustomer(id) {
				t.Errorf("Customer(%d) = %+v, %v; want %+v", id, c, err, store.SeedCustomer(id))
			}
		}
		// The orders are the same in every database: these are the
		// first seeded orders of customer 1 with the PCG(1, 2) seed.
		list, err := db.RecentOrders(ctx, 500)
		if err != nil || len(list) != 10*store.OrdersPerCustomer || list[0].ID != 30 || list[29].ID != 1 {
			t.Fatalf("RecentOrders(500) = %d orders from %v, %v; want orders 30 to 1", len(list), list[:min(1, len(list))], err)
		}
		// IDs given after the seed follow the seeded ones.
		c, err := db.CreateCustomer(ctx, store.Customer{StoreCode: "BER", Name: "New", PreName: "One", Email: "n@example.com"})
		if err != nil || c.ID != 11 {
			t.Errorf("CreateCustomer after Seed(10) = %+v, %v; want ID 11", c, err)
		}
		o, err := db.CreateOrder(ctx, store.Order{CustomerID: 11, Status: "paid", Total: 1})
		if err != nil || o.ID != 31 {
			t.Errorf("CreateOrder after Seed(10) = %+v, %v; want ID 31", o, err)
		}
	})
}

func TestSeed_SameOrdersInBothKinds(t *testing.T) {
	got := map[string][]store.Order{}
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			db, _ := storetest.Open(t, kind, 20)
			list, err := db.RecentOrders(context.Background(), 500)
			if err != nil {
				t.Fatal(err)
			}
			got[kind] = list
		})
	}
	if a, b := got[storetest.SQLite], got[storetest.Postgres]; a != nil && b != nil && !reflect.DeepEqual(a, b) {
		t.Errorf("seeded orders differ between SQLite and PostgreSQL:\n%v\n%v", a, b)
	}
}

func TestQueries(t *testing.T) {
	forEachKind(t, 5, func(t *testing.T, db store.Store, _ string) {
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
		c := store.SeedCustomer(3)
		if cs, err := db.CustomersByFullName(ctx, c.Name, c.PreName); err != nil || !reflect.DeepEqual(cs, []store.Customer{c}) {
			t.Errorf("CustomersByFullName(%s, %s) = %v, %v; want [%v]", c.Name, c.PreName, cs, err, c)
		}
		if cs, err := db.CustomersOfStore(ctx, "nowhere"); err != nil || cs == nil || len(cs) != 0 {
			t.Errorf("CustomersOfStore(nowhere) = %#v, %v; want an empty list", cs, err)
		}
	})
}

func TestCreateOrder_UnknownCustomer(t *testing.T) {
	forEachKind(t, 0, func(t *testing.T, db store.Store, _ string) {
		_, err := db.CreateOrder(context.Background(), store.Order{CustomerID: 1, Status: "paid", Total: 1})
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("CreateOrder for customer 1 of an empty database: error %v; want ErrNotFound", err)
		}
	})
}

// A failing second statement rolls back the first.
func TestInTx_RollsBack(t *testing.T) {
	forEachKind(t, 10, func(t *testing.T, db store.Store, dsn string) {
		ctx := context.Background()
		storetest.RefuseDelete(t, dsn, 4)
		before, err := db.OrdersOfCustomer(ctx, 4)
		if err != nil || len(before) == 0 {
			t.Fatalf("OrdersOfCustomer(4) = %v, %v; want orders", before, err)
		}
		err = db.InTx(ctx, store.ReadWrite, func(q store.Querier) error {
			if n, err := q.DeleteOrdersOfCustomer(ctx, 4); err != nil || n != int64(len(before)) {
				t.Errorf("DeleteOrdersOfCustomer(4) = %d, %v; want %d, nil", n, err, len(before))
			}
			return q.DeleteCustomer(ctx, 4)
		})
		if err == nil || !strings.Contains(err.Error(), "delete refused") {
			t.Errorf("InTx with a refused delete = %v; want the trigger's error", err)
		}
		after, err := db.OrdersOfCustomer(ctx, 4)
		if err != nil || !reflect.DeepEqual(after, before) {
			t.Errorf("OrdersOfCustomer(4) after the rollback = %v, %v; want %v", after, err, before)
		}
	})
}

// A read-only transaction sees one snapshot: a delete committed between
// two of its statements does not show.
func TestInTx_ReadOnlySnapshot(t *testing.T) {
	forEachKind(t, 10, func(t *testing.T, db store.Store, _ string) {
		ctx := context.Background()
		err := db.InTx(ctx, store.ReadOnly, func(q store.Querier) error {
			list, err := q.RecentOrders(ctx, 1)
			if err != nil {
				return err
			}
			id := list[0].CustomerID
			if err := db.DeleteCustomer(ctx, id); err != nil { // outside the transaction
				return err
			}
			if _, err := q.Customer(ctx, id); err != nil {
				t.Errorf("Customer(%d) in the snapshot after it was deleted: %v; want the customer", id, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestOpen_Errors(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "text.db")
	if err := os.WriteFile(notDB, []byte(strings.Repeat("not a database\n", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ dsn, want string }{
		{dir, "is not a regular file"},
		{filepath.Join(dir, "no", "such", "dir", "shop.db"), "no such file or directory"},
		{notDB, "is not a SQLite database"},
		{"postgres://nobody:secret@127.0.0.1:1/none?connect_timeout=5", "postgres://nobody:xxxxx@127.0.0.1:1/none"},
	}
	for _, tt := range tests {
		db, err := store.Open(context.Background(), tt.dsn)
		if err == nil {
			db.Close()
			t.Errorf("Open(%s) succeeded; want an error", tt.dsn)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%s) = %v; want an error saying %q, without the password", tt.dsn, err, tt.want)
		}
		if name := strings.SplitN(tt.dsn, "?", 2)[0]; !store.IsPostgres(tt.dsn) && !strings.Contains(err.Error(), name) {
			t.Errorf("Open(%s) = %v; want an error naming the file", tt.dsn, err)
		}
	}
}

// A SQLite file deleted while the store is open is an error, not a new,
// empty database.
func TestSQLite_DeletedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shop.db")
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Seed(ctx, 3); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(f)
	}
	if err := db.Ping(ctx); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Ping() after the file was deleted = %v; want an error naming it", err)
	}
	// New connections of the pool fail: no file comes back.
	conns := make(chan error)
	for range 8 {
		go func() {
			err := db.InTx(ctx, store.ReadOnly, func(q store.Querier) error {
				_, err := q.Customer(ctx, 1)
				return err
			})
			conns <- err
		}()
	}
	for range 8 {
		<-conns
	}
	if _, err := os.Stat(path); err == nil {
		t.Errorf("%s exists again after reads; want it gone", path)
	}
}

// A panic inside a transaction rolls it back and frees its connection.
func TestInTx_Panic(t *testing.T) {
	forEachKind(t, 3, func(t *testing.T, db store.Store, _ string) {
		ctx := context.Background()
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("InTx with a panicking fn returned; want the panic")
				}
			}()
			db.InTx(ctx, store.ReadWrite, func(q store.Querier) error {
				if err := q.DeleteCustomer(ctx, 1); err != nil {
					t.Fatal(err)
				}
				panic("in the transaction")
			})
		}()
		// A write transaction can begin: the panicking one holds no lock.
		if err := db.UpdateCustomer(ctx, store.SeedCustomer(2)); err != nil {
			t.Errorf("UpdateCustomer after a panicking transaction: %v", err)
		}
		if c, err := db.Customer(ctx, 1); err != nil || c != store.SeedCustomer(1) {
			t.Errorf("Customer(1) after a panicking transaction deleted it = %+v, %v; want it back", c, err)
		}
	})
}
