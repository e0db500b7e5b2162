package reqcache_test

import (
	"context"
	"fmt"

	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/reqcache"
)

// A batch method that shares the entries of a single-key method: the
// customers a page loads in one query are hits for single reads.
func ExampleFunc1_Batch() {
	db := NewRepo()
	byID := reqcache.Cache1(Customers, db.GetCustomerByID, CustomerID, reqcache.IDFromParam(CustomerID))
	byIDs := byID.Batch(db.GetCustomersByIDs)

	ctx, cache := reqcache.Scope(context.Background())
	defer cache.Close()
	m, _ := byIDs.Get(ctx, []int64{1, 2, 3})
	c, _ := byID.Get(ctx, 2) // a hit
	fmt.Println(len(m), c.Name, "queries:", db.queries)
	// Output: 3 Bob queries: 1
}

// A transaction: a read made before the commit through another connection
// sees the old row; the commit applies the write's invalidation again, so
// the request does not keep it.
func ExampleBegin() {
	db := NewRepo()
	repo := NewCachedRepo(db)
	ctx, cache := reqcache.Scope(context.Background())
	defer cache.Close()

	txCtx, tx := reqcache.Begin(ctx)
	_ = repo.UpdateCustomer(txCtx, Customer{ID: 1, Name: "Ann", PreName: "Taylor"}) // invalidates at once
	db.rows[1] = Customer{1, "Ann", "Smith"}                                        // what other connections see until the commit
	c, _ := repo.byID.Get(ctx, 1)                                                   // another connection: the old row, cached
	fmt.Println("before commit:", c.PreName)
	db.rows[1] = Customer{1, "Ann", "Taylor"} // the database commits
	_ = tx.Commit()                           // the invalidation applies again
	c, _ = repo.byID.Get(ctx, 1)
	fmt.Println("after commit:", c.PreName)
	// Output:
	// before commit: Smith
	// after commit: Taylor
}

// Verify mode finds a write that forgot to invalidate: the hit after it is
// read again, and differs.
func Example_verify() {
	db := NewRepo()
	repo := NewCachedRepo(db)
	ctx, cache := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{
		Verify: 1, // every hit; 0.01 samples one in a hundred
		OnStaleRead: func(s reqcache.StaleRead) {
			fmt.Printf("stale read of %s(%s): %s\n", s.Method, s.Args, s.Diff)
		},
	})
	defer cache.Close()

	_, _ = repo.byID.Get(ctx, 1)
	db.rows[1] = Customer{1, "Ann", "Taylor"} // a write that forgets invalidate.ID
	c, _ := repo.byID.Get(ctx, 1)
	fmt.Println("served:", c.PreName, "stale reads:", cache.Stats().Stale)
	// Output:
	// stale read of reqcache_test.(*Repo).GetCustomerByID(1): cached {ID:1 Name:Ann PreName:Smith}, fresh {ID:1 Name:Ann PreName:Taylor}
	// served: Smith stale reads: 1
}

func ExampleCache_Explain() {
	db := NewRepo()
	repo := NewCachedRepo(db)
	ctx, cache := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{Explain: true})
	defer cache.Close()

	_, _ = repo.byID.Get(ctx, 1)
	_ = repo.UpdateCustomer(ctx, Customer{ID: 1, Name: "Ann", PreName: "Taylor"})
	_, _ = repo.byID.Get(ctx, 1)
	invalidate.All(ctx)
	_, _ = repo.byID.Get(ctx, 1)
	for _, m := range cache.Explain() {
		fmt.Println(m.Reason)
	}
	// Output:
	// first call
	// invalidated by id Customer:1
	// invalidated by all everything
}
