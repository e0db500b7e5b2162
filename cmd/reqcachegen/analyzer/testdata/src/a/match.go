package a

import (
	"context"

	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

type Order struct{ ID, CustomerID int64 }

var (
	Orders     = region.New[Order, int64]("Order")
	Others     = region.New[Point, int64]("Other")
	CustomerID = region.NewParam[int64]("customerID")
	Store      = region.NewParam[string]("store")
	Status     = region.NewParam[string]("status")
	Limit      = region.NewParam[int]("limit")
	// CustomerAgain is the same parameter as CustomerID: same name, same type.
	CustomerAgain = region.NewParam[int64]("customerID")
)

func (repo) orders(context.Context, int64, string) ([]Order, error) { return nil, nil }
func (repo) recent(context.Context, int) ([]Order, error)           { return nil, nil }

func orderStatus([]Order) string { return "" }

func declareOrders(r repo) {
	reqcache.Cache2(Orders, r.orders, CustomerID, Store)
	reqcache.Cache1(Orders, r.recent, Limit, reqcache.ParamFromResult(Status, orderStatus))
}

func write(ctx context.Context, conds []region.Cond) {
	invalidate.Match(ctx, Orders, CustomerID.Is(1))
	invalidate.Match(ctx, Orders, CustomerAgain.Is(1))
	invalidate.Match(ctx, Orders, Store.Is("BER"), Status.Is("open"))
	invalidate.Match(ctx, Orders, Limit.Is(5), ID.Is(7)) // want `invalidate.Match: no cached method of region Orders in this package declares parameter ID`
	invalidate.Match(ctx, (Orders), (Pos.Is(Point{})))   // want `declares parameter Pos`
	invalidate.Match(ctx, Orders, conds...)
	_ = Orders.Where(CustomerID.Is(2))
	_ = Orders.Where(Price.Is(2)) // want `Where: no cached method of region Orders in this package declares parameter Price`
	// No cached method of Others in this package: nothing to compare with.
	invalidate.Match(ctx, Others, ID.Is(1))
	_ = Others.Where(ID.Is(1))
}
