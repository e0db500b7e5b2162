package region_test

import (
	"fmt"
	"time"

	"github.com/reqcache/reqcache/region"
)

type Customer struct {
	ID      int64
	PreName string
}

var (
	Customers  = region.New[Customer, int64]("Customer")
	CustomerID = region.NewParam[int64]("customerID")
	PreName    = region.NewParam[string]("preName")
)

func Example() {
	fmt.Println(Customers, CustomerID, PreName)
	fmt.Println(Customers.Tag(42))
	fmt.Println(Customers.Where(PreName.Is("Smith")))
	fmt.Println(Customers.Where()) // the whole region
	// Output:
	// Customer customerID int64 preName string
	// Customer:42
	// Customer(preName=Smith)
	// Customer()
}

type Order struct{ ID, CustomerID int64 }

var (
	Status = region.NewParam[string]("status")
	// Invalidations of Orders match on status only; every cached method of
	// the region must provide it.
	Orders = region.New[Order, int64]("Order", region.Strict(Status))
)

func ExampleStrict() {
	fmt.Println(Orders.Where(Status.Is("open")).Validate())
	fmt.Println(Orders.Where(CustomerID.Is(7)).Validate())
	// Output:
	// <nil>
	// region: Order.Where: region is strict and does not match on parameter customerID int64
}

// A time.Time parameter needs a key function: its == compares the
// monotonic reading and the location, not only the instant.
func ExampleNewParamKey() {
	at := region.NewParamKey("exampleAt", func(t time.Time) time.Time { return t.UTC().Round(0) })
	berlin := time.Date(2026, 11, 25, 18, 0, 0, 0, time.FixedZone("CET", 3600))
	fmt.Println(at.Is(berlin) == at.Is(berlin.UTC()))
	// Output: true
}
