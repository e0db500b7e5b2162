// Package storefront has the shape of the example app's repository: the
// annotations reproduce what its hand-written cached repository declares.
package storefront

import (
	"context"

	"github.com/reqcache/reqcache/region"
)

type Customer struct {
	ID        int64
	StoreCode string
	Name      string
	PreName   string
}

type Order struct {
	ID         int64
	CustomerID int64
}

var (
	Customers = region.New[Customer, int64]("storefront.Customer")
	Orders    = region.New[Order, int64]("storefront.Order")

	CustomerID = region.NewParam[int64]("customerID")
	OrderID    = region.NewParam[int64]("orderID")
	Name       = region.NewParam[string]("name")
	PreName    = region.NewParam[string]("preName")
	StoreCode  = region.NewParam[string]("storeCode")
	Limit      = region.NewParam[int]("limit")
)

// Store is the storefront's repository, as the handlers use it.
type Store interface {
	//reqcache:read region=Customers params=id:CustomerID id=param:id fromresult=Name:customerName fromresult=PreName:customerPreName fromresult=StoreCode:customerStoreCode
	Customer(ctx context.Context, id int64) (Customer, error)
	//reqcache:batch region=Customers fromresult=Name:customerName fromresult=PreName:customerPreName fromresult=StoreCode:customerStoreCode
	CustomersByIDs(ctx context.Context, ids []int64) (map[int64]Customer, error)
	//reqcache:read region=Customers params=name:Name,preName:PreName ids=result:customerIDs
	CustomersByFullName(ctx context.Context, name, preName string) ([]Customer, error)
	//reqcache:read region=Customers params=storeCode:StoreCode ids=result:customerIDs
	CustomersOfStore(ctx context.Context, storeCode string) ([]Customer, error)
	//reqcache:read region=Orders params=id:OrderID id=param:id tags=customerTag fromresult=CustomerID:orderCustomerID
	Order(ctx context.Context, id int64) (Order, error)
	//reqcache:read region=Orders params=customerID:CustomerID ids=result:orderIDs tags=customerTags
	OrdersOfCustomer(ctx context.Context, customerID int64) ([]Order, error)
	//reqcache:read region=Orders params=limit:Limit ids=result:orderIDs tags=customerTags
	RecentOrders(ctx context.Context, limit int) ([]Order, error)
	//reqcache:write region=Customers invalidate=id:result.ID invalidate=match:Name=result.Name&PreName=result.PreName invalidate=match:StoreCode=result.StoreCode
	CreateCustomer(ctx context.Context, c Customer) (Customer, error)
	//reqcache:write region=Customers invalidate=id:c.ID invalidate=match:Name=c.Name&PreName=c.PreName invalidate=match:StoreCode=c.StoreCode
	UpdateCustomer(ctx context.Context, c Customer) error
	//reqcache:write region=Customers invalidate=id:id invalidate=match:Orders:CustomerID=id
	DeleteCustomer(ctx context.Context, id int64) error
	//reqcache:write region=Customers invalidate=match:PreName=preName invalidate=region:Orders
	DeleteCustomersByPreName(ctx context.Context, preName string) (int64, error)
	//reqcache:write invalidate=region:Orders
	CreateOrder(ctx context.Context, o Order) (Order, error)
}

func customerName(c Customer) string      { return c.Name }
func customerPreName(c Customer) string   { return c.PreName }
func customerStoreCode(c Customer) string { return c.StoreCode }
func orderCustomerID(o Order) int64       { return o.CustomerID }

func customerIDs(cs []Customer) []int64 {
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

func orderIDs(os []Order) []int64 {
	ids := make([]int64, len(os))
	for i, o := range os {
		ids[i] = o.ID
	}
	return ids
}

func customerTag(o Order) []region.Tag { return []region.Tag{Customers.Tag(o.CustomerID)} }

func customerTags(os []Order) []region.Tag {
	tags := make([]region.Tag, len(os))
	for i, o := range os {
		tags[i] = Customers.Tag(o.CustomerID)
	}
	return tags
}
