package a

import (
	"context"
	"time"

	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

type Customer struct {
	ID   int64
	Name string
}

type Span struct{ From, To time.Time }

type Point struct{ X, Y int }

type Money struct {
	Amount   float64
	Currency string
}

type Key interface{ K() }

var Things = region.New[Customer, int64]("Thing")

var (
	ID     = region.NewParam[int64]("id")
	Pos    = region.NewParam[Point]("pos")
	Ptr    = region.NewParam[*Customer]("ptr")       // want `region.NewParam: type argument of type \*Customer cannot key a cache: it is a pointer`
	At     = region.NewParam[time.Time]("at")        // want `region.NewParam: type argument of type time.Time cannot key a cache: it is a time.Time`
	During = region.NewParam[Span]("during")         // want `its field From is a time.Time`
	AnyKey = region.NewParam[Key]("key")             // want `type argument of type Key cannot key a cache: it is an interface`
	Ch     = region.NewParam[chan int]("ch")         // want `it is a channel`
	Arr    = region.NewParam[[2]*int]("arr")         // want `its element is a pointer`
	Price  = region.NewParam[float64]("price")       // want `type argument of type float64: it is a float64: a NaN argument never equals itself`
	Cost   = region.NewParam[Money]("cost")          // want `its field Amount is a float64`
	Inline = region.NewParam[struct{ P *int }]("in") // want `its field P is a pointer`
)

type repo struct{}

func (repo) byID(context.Context, int64) (Customer, error)              { return Customer{}, nil }
func (repo) byPtr(context.Context, *Customer) (Customer, error)         { return Customer{}, nil }
func (repo) byTime(context.Context, int64, time.Time) (Customer, error) { return Customer{}, nil }
func (repo) byPrice(context.Context, Point, int64, float64) (Customer, error) {
	return Customer{}, nil
}
func (repo) many(context.Context, []int64) (map[int64]Customer, error) { return nil, nil }

func declare(r repo) {
	reqcache.Cache1(Things, r.byID, ID)
	reqcache.Cache1(Things, r.byPtr, Ptr)              // want `reqcache.Cache1: argument 1 of type \*Customer cannot key a cache: it is a pointer`
	reqcache.Cache2(Things, r.byTime, ID, At)          // want `reqcache.Cache2: argument 2 of type time.Time cannot key a cache`
	reqcache.Cache3(Things, r.byPrice, Pos, ID, Price) // want `reqcache.Cache3: argument 3 of type float64: it is a float64: a NaN argument never equals itself, so calls with one are never cached`
	reqcache.CacheBatch(Things, r.many)
}
