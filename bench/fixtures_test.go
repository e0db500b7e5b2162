package bench

import (
	"context"

	"github.com/reqcache/reqcache/region"
)

// Customer is the value every benchmark caches: a small struct built from
// its key, as a repository would return it.
type Customer struct {
	ID      int64
	Name    string
	PreName string
	Email   string
}

// Order is a value of another region, tagged with its customer's ID.
type Order struct {
	ID         int64
	CustomerID int64
}

// The regions and parameters, declared once, as an application does.
var (
	Customers  = region.New[Customer, int64]("Customer")
	Orders     = region.New[Order, int64]("Order")
	CustomerID = region.NewParam[int64]("customerID")
	OrderID    = region.NewParam[int64]("orderID")
	Name       = region.NewParam[string]("name")
	PreName    = region.NewParam[string]("preName")
)

// loadFunc is the signature of a repository read.
type loadFunc = func(ctx context.Context, id int64) (Customer, error)

// loadCustomer is a free repository read: the benchmarks measure the
// caches, not a database.
func loadCustomer(_ context.Context, id int64) (Customer, error) {
	return Customer{ID: id, Name: "Ann", PreName: "Smith", Email: "ann.smith@example.com"}, nil
}

// requestKeys are the reads of one request: 20 reads over 5 distinct keys,
// interleaved as a page that renders 5 customers 4 times would read them.
var requestKeys = func() []int64 {
	k := make([]int64, 20)
	for i := range k {
		k[i] = int64(1000 + i%5)
	}
	return k
}()

// fanOutKeys are the keys each goroutine of a fan-out request reads.
var fanOutKeys = requestKeys[:5]

// fanOutWorkers is the number of goroutines of a fan-out request.
const fanOutWorkers = 8

// sinkCustomer keeps results alive, so that no read is optimized away.
var sinkCustomer Customer
