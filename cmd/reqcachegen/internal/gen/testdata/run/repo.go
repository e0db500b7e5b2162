// Command run is a fake shop whose repository reqcachegen wraps; the test
// copies it into a module of its own, generates repo_reqcache.go, and runs
// it.
package main

import (
	"context"

	"github.com/reqcache/reqcache/region"
)

type Product struct {
	ID    int64
	Shop  string
	Name  string
	Price int64
}

var (
	Products  = region.New[Product, int64]("Product")
	ProductID = region.NewParam[int64]("productID")
	Shop      = region.NewParam[string]("shop")
)

func productIDs(ps []Product) []int64 {
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return ids
}

type Repo interface {
	//reqcache:read region=Products params=id:ProductID id=param:id
	Get(ctx context.Context, id int64) (Product, error)
	//reqcache:batch region=Products
	GetMany(ctx context.Context, ids []int64) (map[int64]Product, error)
	//reqcache:read region=Products params=shop:Shop ids=result:productIDs
	List(ctx context.Context, shop string) ([]Product, error)
	//reqcache:read region=Products ids=result:productIDs
	Search(ctx context.Context, shop, name string, minPrice, maxPrice int64) ([]Product, error)
	//reqcache:read region=Products notfound=cache
	Find(ctx context.Context, name string) (Product, bool, error)
	//reqcache:write region=Products invalidate=id:p.ID
	Update(ctx context.Context, p Product) error
	//reqcache:write region=Products invalidate=match:Shop=shop
	CloseShop(ctx context.Context, shop string) (int, error)
}
