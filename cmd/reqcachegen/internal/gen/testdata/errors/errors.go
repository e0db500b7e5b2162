// Package errors holds interfaces with one mistake each. The doc comment of
// each says what Generate must report, at the line of its last annotation.
package errors

import (
	"context"

	"github.com/reqcache/reqcache/region"
)

type Customer struct {
	ID      int64
	Name    string
	PreName string
}

var (
	Customers  = region.New[Customer, int64]("errors.Customer")
	CustomerID = region.NewParam[int64]("customerID")
	Name       = region.NewParam[string]("name")
	PreName    = region.NewParam[string]("preName")
)

func customerID(c Customer) int64 { return c.ID }

// want "unknown annotation //reqcache:cache"
type UnknownKind interface {
	//reqcache:cache region=Customers
	Get(ctx context.Context, id int64) (Customer, error)
}

// want "\"region\" is not key=value"
type NotKeyValue interface {
	//reqcache:read region
	Get(ctx context.Context, id int64) (Customer, error)
}

// want "//reqcache:read takes no \"ttl\""
type UnknownKey interface {
	//reqcache:read region=Customers ttl=5s
	Get(ctx context.Context, id int64) (Customer, error)
}

// want "region= given twice"
type KeyTwice interface {
	//reqcache:read region=Customers region=Customers
	Get(ctx context.Context, id int64) (Customer, error)
}

// want "a second //reqcache: annotation"
type TwoAnnotations interface {
	//reqcache:read region=Customers
	//reqcache:write region=Customers
	Get(ctx context.Context, id int64) (Customer, error)
}

// want "no region= given"
type NoRegion interface {
	//reqcache:read params=id:CustomerID
	Get(ctx context.Context, id int64) (Customer, error)
}

// want "region Custmers does not exist in package errors"
type MissingRegion interface {
	//reqcache:read region=Custmers
	Get(ctx context.Context, id int64) (Customer, error)
}

// want "CustomerID is a *region.Param[int64], not a *region.Region"
type NotARegion interface {
	//reqcache:read region=CustomerID
	Get(ctx context.Context, id int64) (Customer, error)
}

// want "params= names parameter idd, which MissingArg.Get does not have (it has id)"
type MissingArg interface {
	//reqcache:read region=Customers params=idd:CustomerID
	Get(ctx context.Context, id int64) (Customer, error)
}

// want "parameter CustomerIDD does not exist in package errors"
type MissingParam interface {
	//reqcache:read region=Customers params=id:CustomerIDD
	Get(ctx context.Context, id int64) (Customer, error)
}

// want "Name is a parameter of type string, but argument id is a int64"
type ParamType interface {
	//reqcache:read region=Customers params=id:Name
	Get(ctx context.Context, id int64) (Customer, error)
}

// want "params= declares Name for both name and preName"
type ParamTwice interface {
	//reqcache:read region=Customers params=name:Name,preName:Name
	Find(ctx context.Context, name, preName string) (Customer, error)
}

// want "id=param: names parameter x, which IDArg.Get does not have (it has id)"
type IDArg interface {
	//reqcache:read region=Customers id=param:x
	Get(ctx context.Context, id int64) (Customer, error)
}

// want "id=param:name is a string, but region Customers has IDs of type int64"
type IDType interface {
	//reqcache:read region=Customers id=param:name
	Find(ctx context.Context, name string) (Customer, error)
}

// want "id=: function nope does not exist in package errors"
type MissingFunc interface {
	//reqcache:read region=Customers id=result:nope
	Get(ctx context.Context, id int64) (Customer, error)
}

// want "tags=: customerID is a func(c Customer) int64; want a func(Customer) []region.Tag"
type FuncType interface {
	//reqcache:read region=Customers tags=customerID
	Get(ctx context.Context, id int64) (Customer, error)
}

// want "Wide.Find has 4 arguments besides the context"
type Wide interface {
	//reqcache:read region=Customers params=name:Name
	Find(ctx context.Context, name, preName string, limit, offset int) ([]Customer, error)
}

// want "//reqcache:batch of region Customers needs a func(context.Context, []int64) (map[int64]V, error)"
type BatchShape interface {
	//reqcache:batch region=Customers
	Get(ctx context.Context, id int64) (Customer, error)
}

// want "//reqcache:write needs a method whose first parameter is a context.Context"
type WriteNoContext interface {
	//reqcache:write region=Customers
	Update(c Customer) error
}

// want "//reqcache:write needs invalidate= or region="
type WriteNothing interface {
	//reqcache:write
	Update(ctx context.Context, c Customer) error
}

// want "cc.ID names parameter cc, which WriteMissingArg.Update does not have (it has c)"
type WriteMissingArg interface {
	//reqcache:write region=Customers invalidate=id:cc.ID
	Update(ctx context.Context, c Customer) error
}

// want "c.IDD: Customer has no field IDD"
type WriteMissingField interface {
	//reqcache:write region=Customers invalidate=id:c.IDD
	Update(ctx context.Context, c Customer) error
}

// want "invalidate=id: c.Name is a string, but region Customers has IDs of type int64"
type WriteIDType interface {
	//reqcache:write region=Customers invalidate=id:c.Name
	Update(ctx context.Context, c Customer) error
}

// want "parameter PreNam does not exist in package errors"
type WriteMissingParam interface {
	//reqcache:write region=Customers invalidate=match:PreNam=c.PreName
	Update(ctx context.Context, c Customer) error
}

// want "invalidate=match: c.Name is a string, but CustomerID is a parameter of type int64"
type WriteMatchType interface {
	//reqcache:write region=Customers invalidate=match:CustomerID=c.Name
	Update(ctx context.Context, c Customer) error
}

// want "invalidate=id:c.ID names no region"
type WriteNoRegion interface {
	//reqcache:write invalidate=id:c.ID
	Update(ctx context.Context, c Customer) error
}

// want "invalidate=tags:c.ID: want id:, match:, region: or all"
type WriteKind interface {
	//reqcache:write region=Customers invalidate=tags:c.ID
	Update(ctx context.Context, c Customer) error
}

// want "region Nope does not exist in package errors"
type WriteMissingRegion interface {
	//reqcache:write invalidate=region:Nope
	Update(ctx context.Context, c Customer) error
}

// want "notfound= adapts methods returning (V, bool, error); NotFoundShape.Get returns (Customer, error)"
type NotFoundShape interface {
	//reqcache:read region=Customers notfound=cache
	Get(ctx context.Context, id int64) (Customer, error)
}

// want "notfound=keep: want notfound=cache or notfound=load"
type NotFoundValue interface {
	//reqcache:read region=Customers notfound=keep
	Find(ctx context.Context, id int64) (Customer, bool, error)
}

// want "result.ID names parameter result, which WriteNoResult.Delete does not have (it has id)"
type WriteNoResult interface {
	//reqcache:write region=Customers invalidate=id:result.ID
	Delete(ctx context.Context, id int64) error
}
