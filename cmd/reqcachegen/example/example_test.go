package example

import (
	"context"
	"fmt"

	"github.com/reqcache/reqcache/reqcache"
)

func Example() {
	db := newFakeRepo()
	var repo Repo = NewCachedRepo(db)

	ctx, cache := reqcache.Scope(context.Background()) // the middleware does this per request
	defer cache.Close()

	for range 3 {
		c, _ := repo.GetCustomer(ctx, 1)
		fmt.Println(c.Name, c.PreName)
	}
	fmt.Println("GetCustomer queries:", db.called("GetCustomer"))

	_ = repo.UpdateCustomer(ctx, Customer{ID: 1, Name: "Ann", PreName: "Taylor", StoreCode: "BER"})
	c, _ := repo.GetCustomer(ctx, 1) // read-your-writes: loaded again
	fmt.Println(c.Name, c.PreName)
	fmt.Println("GetCustomer queries:", db.called("GetCustomer"))
	// Output:
	// Ann Smith
	// Ann Smith
	// Ann Smith
	// GetCustomer queries: 1
	// Ann Taylor
	// GetCustomer queries: 2
}
