// Package bad declares a cached method on a pointer, and invalidates by a
// parameter that no cached method declares.
package bad

import (
	"context"

	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

type Customer struct{ ID int64 }

var (
	Customers  = region.New[Customer, int64]("bad.Customer")
	CustomerID = region.NewParam[int64]("customerID")
	Email      = region.NewParam[string]("email")
	Ref        = region.NewParam[*Customer]("ref")
)

func get(context.Context, int64) (Customer, error)      { return Customer{}, nil }
func same(context.Context, *Customer) (Customer, error) { return Customer{}, nil }

var (
	byID  = reqcache.Cache1(Customers, get, CustomerID)
	byRef = reqcache.Cache1(Customers, same, Ref)
	_, _  = byID, byRef
)

func Forget(ctx context.Context, email string) {
	invalidate.Match(ctx, Customers, Email.Is(email))
}
