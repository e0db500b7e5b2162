// Package cached wraps the storefront's SQL repository with the request
// cache: reads go through cached methods, so that a request that asks twice
// queries once, and writes invalidate what they changed, so that the reads
// after them in the same request see the write.
//
// Without a request cache in the context (the middleware is not mounted)
// every method is a plain call of the store.
package cached

import (
	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
	"github.com/reqcache/reqcache/region"
)

// The regions of the request cache, one per domain type, and the parameters
// of the cached methods.
var (
	// Customers holds values about customers, identified by their IDs.
	Customers = region.New[store.Customer, int64]("Customer")
	// Orders holds values about orders, identified by their IDs.
	Orders = region.New[store.Order, int64]("Order")

	// CustomerID is a customer's ID.
	CustomerID = region.NewParam[int64]("customerID")
	// OrderID is an order's ID.
	OrderID = region.NewParam[int64]("orderID")
	// Name is a customer's name.
	Name = region.NewParam[string]("name")
	// PreName is a customer's preName.
	PreName = region.NewParam[string]("preName")
	// StoreCode is the code of a customer's store.
	StoreCode = region.NewParam[string]("storeCode")
	// Limit is the number of orders of a list.
	Limit = region.NewParam[int]("limit")
)

func customerIDs(cs []store.Customer) []int64 {
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

func orderIDs(os []store.Order) []int64 {
	ids := make([]int64, len(os))
	for i, o := range os {
		ids[i] = o.ID
	}
	return ids
}

// customerTag tags an order with its customer.
func customerTag(o store.Order) []region.Tag {
	return []region.Tag{Customers.Tag(o.CustomerID)}
}

// customerTags tags a list of orders with their customers.
func customerTags(os []store.Order) []region.Tag {
	tags := make([]region.Tag, len(os))
	for i, o := range os {
		tags[i] = Customers.Tag(o.CustomerID)
	}
	return tags
}
