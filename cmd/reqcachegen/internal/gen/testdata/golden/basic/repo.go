// Package basic has reads of every arity and methods that cannot be cached.
package basic

import (
	"context"
	"time"

	"github.com/reqcache/reqcache/region"
)

type Item struct {
	ID    int64
	Name  string
	Price float64
}

type Span struct {
	From, To time.Time
}

var (
	Items  = region.New[Item, int64]("basic.Item")
	ItemID = region.NewParam[int64]("itemID")
	Shop   = region.NewParam[string]("shop")
)

func itemID(it Item) int64 { return it.ID }

func itemIDs(its []Item) []int64 {
	ids := make([]int64, len(its))
	for i, it := range its {
		ids[i] = it.ID
	}
	return ids
}

func itemShop(it Item) string { return it.Name }

type Repo interface {
	// No arguments.
	//
	//reqcache:read region=Items ids=result:itemIDs
	All(ctx context.Context) ([]Item, error)

	//reqcache:read region=Items params=id:ItemID id=param:id fromresult=Shop:itemShop
	Get(ctx context.Context, id int64) (Item, error)

	// Unmapped arguments get generated parameters.
	//
	//reqcache:read region=Items id=result:itemID
	ByName(ctx context.Context, shop, name string) (Item, error)

	//reqcache:read region=Items params=shop:Shop ids=result:itemIDs name=Items.Page
	Page(ctx context.Context, shop string, offset, limit int) ([]Item, error)

	// Four arguments and more are keyed by a generated struct.
	//
	//reqcache:read region=Items ids=result:itemIDs
	Search(ctx context.Context, shop string, minPrice, maxPrice float64, limit int, desc bool) ([]Item, error)

	// Unnamed parameters, and one named like the receiver.
	//
	//reqcache:read region=Items
	Count(context.Context, string, int64) (int, error)
	//reqcache:read region=Items
	Near(ctx context.Context, r int64) (int, error)

	// Uncacheable, though annotated.
	//
	//reqcache:read region=Items
	ByPtr(ctx context.Context, it *Item) (Item, error)
	//reqcache:read region=Items
	Since(ctx context.Context, t time.Time) ([]Item, error)
	//reqcache:read region=Items
	InSpan(ctx context.Context, s Span) ([]Item, error)
	//reqcache:read region=Items
	Any(ctx context.Context, key any) (Item, error)
	//reqcache:read region=Items
	Watch(ctx context.Context, ch chan int) (Item, error)
	//reqcache:read region=Items
	ByIDs(ctx context.Context, ids []int64) ([]Item, error)
	//reqcache:read region=Items
	Tagged(ctx context.Context, tags ...string) ([]Item, error)
	//reqcache:read region=Items
	Find(ctx context.Context, id int64) (Item, bool, error)
	//reqcache:read region=Items
	Ping(ctx context.Context) error
	//reqcache:read region=Items
	NoContext(id int64) (Item, error)

	// (V, bool, error) adapted: not found cached, or loaded again.
	//
	//reqcache:read region=Items params=id:ItemID id=param:id notfound=cache
	Maybe(ctx context.Context, id int64) (Item, bool, error)
	//reqcache:read region=Items notfound=load
	MaybeNamed(ctx context.Context, v, err string) (Item, bool, error)
	//reqcache:read region=Items ids=result:itemIDs notfound=cache
	MaybeWide(ctx context.Context, shop string, a, b, c int) ([]Item, bool, error)

	// Not annotated.
	Lookup(ctx context.Context, name string) (Item, bool, error)
	Close() error
	Reset(ctx context.Context)
}
