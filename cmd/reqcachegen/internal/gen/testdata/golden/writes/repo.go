// Package writes has every kind of invalidation.
package writes

import (
	"context"

	"github.com/reqcache/reqcache/region"
)

type Customer struct {
	ID      int64
	Name    string
	PreName string
	Address Address
}

type Address struct{ City string }

type Order struct {
	ID       int64
	Customer Customer
}

var (
	Customers = region.New[Customer, int64]("writes.Customer")
	Orders    = region.New[Order, int64]("writes.Order")
	Name      = region.NewParam[string]("name")
	PreName   = region.NewParam[string]("preName")
	City      = region.NewParam[string]("city")
)

type Repo interface {
	//reqcache:write region=Customers invalidate=id:c.ID
	Update(ctx context.Context, c Customer) error
	//reqcache:write region=Customers invalidate=id:result.ID invalidate=match:Name=result.Name&PreName=c.PreName
	Create(ctx context.Context, c Customer) (Customer, error)
	//reqcache:write region=Customers invalidate=id:ids
	DeleteMany(ctx context.Context, ids []int64) (int, error)
	//reqcache:write invalidate=id:Orders:o.ID invalidate=id:Customers:o.Customer.ID
	PlaceOrder(ctx context.Context, o Order) (Order, error)
	//reqcache:write region=Customers invalidate=match:Name=c.Name&PreName=c.PreName invalidate=match:City=c.Address.City
	Rename(ctx context.Context, c Customer) error
	//reqcache:write invalidate=region:Customers invalidate=region:Orders
	Import(ctx context.Context, cs ...Customer) (int, int, error)
	//reqcache:write region=Orders
	Purge(ctx context.Context) error
	//reqcache:write invalidate=all
	Reset(ctx context.Context, err string) error
	//reqcache:write region=Customers invalidate=match:PreName=preName
	Move(_ context.Context, preName string, v int) (v0 int, err error)
}
