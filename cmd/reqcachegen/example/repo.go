// Package example shows reqcachegen on a small shop repository: Repo is
// written by hand, with annotations in its doc comments, and CachedRepo, in
// repo_reqcache.go, is generated from it.
package example

import (
	"context"

	"github.com/reqcache/reqcache/region"
)

//go:generate go run github.com/reqcache/reqcache/cmd/reqcachegen -type Repo

// Customer is a customer of the shop.
type Customer struct {
	ID        int64
	Name      string
	PreName   string
	StoreCode string
}

// Order is an order of a customer.
type Order struct {
	ID         int64
	CustomerID int64
	StoreCode  string
	Total      int64 // in cents
}

// The regions of the request cache and the parameters of the cached methods.
var (
	// Customers holds values about customers, identified by their IDs.
	Customers = region.New[Customer, int64]("example.Customer")
	// Orders holds values about orders, identified by their IDs.
	Orders = region.New[Order, int64]("example.Order")

	// CustomerID is a customer's ID.
	CustomerID = region.NewParam[int64]("customerID")
	// Name is a customer's name.
	Name = region.NewParam[string]("name")
	// PreName is a customer's preName.
	PreName = region.NewParam[string]("preName")
)

// Repo is the shop's repository.
type Repo interface {
	// GetCustomer returns the customer with the given ID.
	//
	//reqcache:read region=Customers params=id:CustomerID id=param:id
	GetCustomer(ctx context.Context, id int64) (Customer, error)

	// FindCustomer returns the customer with the given name and preName.
	//
	//reqcache:read region=Customers params=name:Name,preName:PreName id=result:customerID
	FindCustomer(ctx context.Context, name, preName string) (Customer, error)

	// GetCustomers returns the customers with the given IDs that exist.
	//
	//reqcache:batch region=Customers fromresult=PreName:customerPreName
	GetCustomers(ctx context.Context, ids []int64) (map[int64]Customer, error)

	// SearchOrders returns up to limit orders of a customer in a store
	// whose total is at least minTotal.
	//
	//reqcache:read region=Orders ids=result:orderIDs tags=orderCustomers
	SearchOrders(ctx context.Context, storeCode string, customerID, minTotal int64, limit int) ([]Order, error)

	// LookupCustomer returns the customer with the given email, and
	// whether there is one.
	LookupCustomer(ctx context.Context, email string) (Customer, bool, error)

	// UpdateCustomer stores c.
	//
	//reqcache:write region=Customers invalidate=id:c.ID
	UpdateCustomer(ctx context.Context, c Customer) error

	// DeleteCustomers deletes the customers with the given preName, and
	// returns how many it deleted.
	//
	//reqcache:write invalidate=match:Customers:PreName=preName
	DeleteCustomers(ctx context.Context, preName string) (int, error)
}

func customerID(c Customer) int64 { return c.ID }

func customerPreName(c Customer) string { return c.PreName }

func orderIDs(os []Order) []int64 {
	ids := make([]int64, len(os))
	for i, o := range os {
		ids[i] = o.ID
	}
	return ids
}

// orderCustomers tags a list of orders with their customers, so that an
// update of a customer drops the lists of its orders.
func orderCustomers(os []Order) []region.Tag {
	tags := make([]region.Tag, len(os))
	for i, o := range os {
		tags[i] = Customers.Tag(o.CustomerID)
	}
	return tags
}
