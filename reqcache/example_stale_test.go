package reqcache_test

import (
	"context"
	"fmt"
	"time"

	"github.com/reqcache/reqcache/reqcache"
)

// Soft invalidation: after a write that leaves the old data still useful,
// MarkStale marks the entries stale instead of removing them. Get loads
// them again; GetStale answers at once with the old value while another
// call reloads it, and with the new one after.
func ExampleMarkStale() {
	db := NewRepo()
	started, release := make(chan struct{}), make(chan struct{})
	slow := false
	byID := reqcache.Cache1(Customers, func(ctx context.Context, id int64) (Customer, error) {
		if slow {
			started <- struct{}{}
			<-release
		}
		return db.GetCustomerByID(ctx, id)
	}, CustomerID, reqcache.IDFromParam(CustomerID))

	ctx, cache := reqcache.Scope(context.Background())
	defer cache.Close()
	c, _ := byID.Get(ctx, 1)
	fmt.Println(c.PreName)

	db.rows[1] = Customer{1, "Ann", "Taylor"}
	n, _ := reqcache.MarkStale(ctx, Customers.Tag(1))
	fmt.Println("marked:", n)

	slow = true
	reloaded := make(chan Customer)
	go func() {
		c, _ := byID.Get(ctx, 1) // loads again, slowly
		reloaded <- c
	}()
	<-started
	c, fresh, _ := byID.GetStale(ctx, 1) // does not wait for the load
	fmt.Println(c.PreName, fresh)
	close(release)
	fmt.Println((<-reloaded).PreName)
	c, fresh, _ = byID.GetStale(ctx, 1)
	fmt.Println(c.PreName, fresh)

	s := cache.Stats()
	fmt.Printf("loads=%d staleServed=%d\n", s.Loads, s.StaleServed)
	// Output:
	// Smith
	// marked: 1
	// Smith false
	// Taylor
	// Taylor true
	// loads=2 staleServed=1
}

// Expiry in a scope that lives long, such as a job: an entry of a method
// with MaxAge loads again once it is older than that. The clock is the
// Cache's, so that a test moves it instead of sleeping.
func ExampleMaxAge() {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	db := NewRepo()
	byID := reqcache.Cache1(Customers, db.GetCustomerByID, CustomerID, reqcache.MaxAge(time.Minute))

	ctx, cache := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{
		Clock: func() time.Time { return now },
	})
	defer cache.Close()
	for _, wait := range []time.Duration{0, 59 * time.Second, time.Second} {
		now = now.Add(wait)
		_, _ = byID.Get(ctx, 1)
		fmt.Printf("after %v: queries=%d\n", wait, db.queries)
	}
	s := cache.Stats()
	fmt.Printf("hits=%d misses=%d expired=%d\n", s.Hits, s.Misses, s.Expired)
	// Output:
	// after 0s: queries=1
	// after 59s: queries=1
	// after 1s: queries=2
	// hits=1 misses=2 expired=1
}

// MaxIdleTime expires the entries that were not used for a while: each use
// keeps an entry live for another idle time.
func ExampleMaxIdleTime() {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	db := NewRepo()
	byID := reqcache.Cache1(Customers, db.GetCustomerByID, CustomerID, reqcache.MaxIdleTime(time.Minute))

	ctx, cache := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{
		Clock: func() time.Time { return now },
	})
	defer cache.Close()
	for _, wait := range []time.Duration{0, 50 * time.Second, 50 * time.Second, 61 * time.Second} {
		now = now.Add(wait)
		_, _ = byID.Get(ctx, 1)
		fmt.Printf("after %v: queries=%d\n", wait, db.queries)
	}
	// Output:
	// after 0s: queries=1
	// after 50s: queries=1
	// after 50s: queries=1
	// after 1m1s: queries=2
}
