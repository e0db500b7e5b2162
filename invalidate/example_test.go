package invalidate_test

import (
	"context"
	"fmt"

	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

func Example() {
	rows := map[int64]Customer{1: {1, "Ann", "Smith"}}
	byID := reqcache.Cache1(Customers, func(_ context.Context, id int64) (Customer, error) {
		return rows[id], nil
	}, CustomerID, reqcache.IDFromParam(CustomerID))

	ctx, cache := reqcache.Scope(context.Background())
	defer cache.Close()

	c, _ := byID.Get(ctx, 1)
	fmt.Println(c.PreName)

	rows[1] = Customer{1, "Ann", "Taylor"} // the write
	invalidate.ID(ctx, Customers, 1)       // after it succeeded
	c, _ = byID.Get(ctx, 1)
	fmt.Println(c.PreName)
	// Output:
	// Smith
	// Taylor
}

func ExampleAfter1() {
	rows := map[int64]Customer{1: {1, "Ann", "Smith"}}
	byID := reqcache.Cache1(Customers, func(_ context.Context, id int64) (Customer, error) {
		return rows[id], nil
	}, CustomerID, reqcache.IDFromParam(CustomerID))
	// The write method, wrapped once: it invalidates only when it succeeds.
	update := invalidate.After1(func(_ context.Context, c Customer) error {
		rows[c.ID] = c
		return nil
	}, func(c Customer) []region.Target { return []region.Target{Customers.Tag(c.ID)} })

	ctx, cache := reqcache.Scope(context.Background())
	defer cache.Close()
	_, _ = byID.Get(ctx, 1)
	_ = update(ctx, Customer{1, "Ann", "Taylor"})
	c, _ := byID.Get(ctx, 1)
	fmt.Println(c.PreName)
	// Output: Taylor
}

func ExampleMatch() {
	rows := []Customer{{1, "Ann", "Smith"}, {2, "Bob", "Smith"}, {3, "Cid", "Jones"}}
	byFullName := reqcache.Cache2(Customers, func(_ context.Context, name, preName string) (Customer, error) {
		for _, c := range rows {
			if c.Name == name && c.PreName == preName {
				return c, nil
			}
		}
		return Customer{}, fmt.Errorf("no %s %s", name, preName)
	}, Name, PreName)

	ctx, cache := reqcache.Scope(context.Background())
	defer cache.Close()
	for _, c := range rows {
		_, _ = byFullName.Get(ctx, c.Name, c.PreName)
	}
	// DeleteCustomers(preName): every entry with that preName goes.
	n, err := invalidate.Match(ctx, Customers, PreName.Is("Smith"))
	fmt.Println(n, err)
	// Output: 2 <nil>
}
