package cached_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/reqcache/reqcache/examples/chi-app/internal/cached"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store/storetest"
	"github.com/reqcache/reqcache/reqcache"
	"github.com/reqcache/reqcache/reqcachetest"
)

// TestRepo_VerifyMode runs reads and every kind of write of the cached
// repository in verify mode: every hit is read again from the store, and
// the test fails on any stale read or cached value changed by the code.
func TestRepo_VerifyMode(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind string) {
		db, _ := storetest.Open(t, kind, seeded)
		repo := cached.New(db)
		ctx, c := reqcachetest.Scope(t, context.Background())
		reads := func() {
			t.Helper()
			for _, id := range []int64{5, 6} {
				if _, err := repo.Customer(ctx, id); err != nil {
					t.Fatalf("Customer(%d): %v", id, err)
				}
				if _, err := repo.OrdersOfCustomer(ctx, id); err != nil {
					t.Fatalf("OrdersOfCustomer(%d): %v", id, err)
				}
			}
			old := store.SeedCustomer(5)
			_, _ = repo.CustomersByFullName(ctx, old.Name, old.PreName)
			_, _ = repo.CustomersOfStore(ctx, old.StoreCode)
			if _, err := repo.RecentOrders(ctx, 20); err != nil {
				t.Fatalf("RecentOrders: %v", err)
			}
		}
		reads()
		reads()
		if err := repo.UpdateCustomer(ctx, store.Customer{ID: 5, StoreCode: "NEW", Name: "Eve", PreName: "Moved", Email: "eve@example.com"}); err != nil {
			t.Fatal(err)
		}
		reads()
		if _, err := repo.CreateOrder(ctx, store.Order{CustomerID: 6, Total: 1200}); err != nil {
			t.Fatal(err)
		}
		reads()
		if err := repo.DeleteCustomer(ctx, 6); err != nil {
			t.Fatal(err)
		}
		_, _ = repo.Customer(ctx, 5)
		_, _ = repo.Customer(ctx, 5)
		if s := c.Stats(); s.Verified == 0 || s.Stale != 0 {
			t.Errorf("Stats() = %+v; want verified hits and no stale read", s)
		}
	})
}

// TestRepo_VerifyModeFindsAForgottenInvalidation writes around the cached
// repository, as a write method that forgot its invalidation would: the
// detector names the method and the key.
func TestRepo_VerifyModeFindsAForgottenInvalidation(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind string) {
		db, _ := storetest.Open(t, kind, seeded)
		repo := cached.New(db)
		var mu sync.Mutex
		var got []reqcache.StaleRead
		ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{
			Verify: 1,
			OnStaleRead: func(s reqcache.StaleRead) {
				mu.Lock()
				defer mu.Unlock()
				got = append(got, s)
			},
		})
		defer c.Close()
		if _, err := repo.Customer(ctx, 5); err != nil {
			t.Fatal(err)
		}
		updated := store.Customer{ID: 5, StoreCode: "NEW", Name: "Eve", PreName: "Moved", Email: "eve@example.com"}
		if err := db.UpdateCustomer(ctx, updated); err != nil { // no invalidation
			t.Fatal(err)
		}
		_, _ = repo.Customer(ctx, 5)
		mu.Lock()
		defer mu.Unlock()
		if len(got) != 1 || got[0].Args != "5" || got[0].Method != "Customer" || !strings.Contains(got[0].Diff, "Moved") {
			t.Fatalf("stale reads = %+v; want one, of the customer method, key 5", got)
		}
		t.Logf("detector report: %v", got[0])
	})
}
