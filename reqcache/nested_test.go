package reqcache_test

import (
	"context"
	"errors"
	"testing"

	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// orderView is an order with its item, assembled by a cached method that
// calls another one.
type orderView struct {
	Order order
	Item  item
}

type nested struct {
	versions map[int64]int64
	item     *reqcache.Func1[int64, item]
	view     *reqcache.Func1[int64, orderView]
}

func newNested() *nested {
	n := &nested{versions: map[int64]int64{}}
	n.item = reqcache.Cache1(Items, func(_ context.Context, id int64) (item, error) {
		if id < 0 {
			return item{}, errBoom
		}
		return item{ID: id, Version: n.versions[id]}, nil
	}, ItemID, reqcache.IDFromParam(ItemID), reqcache.Name("item"))
	// Order o is for item o/10; the view depends on the item through the
	// nested call only: no declared tag.
	n.view = reqcache.Cache1(Orders, func(ctx context.Context, orderID int64) (orderView, error) {
		it, err := n.item.Get(ctx, orderID/10)
		if err != nil && orderID/10 >= 0 {
			return orderView{}, err
		}
		return orderView{Order: order{ID: orderID, ItemID: orderID / 10}, Item: it}, nil
	}, OrderID, reqcache.Name("view"))
	return n
}

func TestNested_OuterDependsOnInner(t *testing.T) {
	tests := []struct {
		name       string
		invalidate func(ctx context.Context, n *nested)
		wantFresh  bool // the view is loaded again
	}{
		{"inner exact call", func(ctx context.Context, n *nested) { n.item.Invalidate(ctx, 1) }, true},
		{"inner ID", func(ctx context.Context, n *nested) { invalidate.ID(ctx, Items, 1) }, true},
		{"inner parameter", func(ctx context.Context, n *nested) { _, _ = invalidate.Match(ctx, Items, ItemID.Is(1)) }, true},
		{"inner region", func(ctx context.Context, n *nested) { invalidate.Region(ctx, Items) }, true},
		{"inner Refresh", func(ctx context.Context, n *nested) { _, _ = n.item.Refresh(ctx, 1) }, true},
		{"inner Prime", func(ctx context.Context, n *nested) { n.item.Prime(ctx, 1, item{ID: 1, Version: 1}) }, true},
		{"another item", func(ctx context.Context, n *nested) { invalidate.ID(ctx, Items, 2) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newNested()
			ctx, c := reqcache.Scope(context.Background())
			defer c.Close()

			if v, err := n.view.Get(ctx, 10); err != nil || v.Item.Version != 0 {
				t.Fatalf("view.Get(10) = %+v, %v; want item version 0", v, err)
			}
			n.versions[1] = 1
			tt.invalidate(ctx, n)
			_, held := n.view.Peek(ctx, 10)
			if held == tt.wantFresh {
				t.Errorf("after %s, view.Peek(10) held = %v; want %v", tt.name, held, !tt.wantFresh)
			}
			if v, _ := n.view.Get(ctx, 10); tt.wantFresh && v.Item.Version != 1 {
				t.Errorf("view.Get(10) = %+v; want item version 1", v)
			}
		})
	}
}

func TestNested_OuterNotStoredWhenInnerIsNot(t *testing.T) {
	n := newNested()
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()

	// Order -10 is for item -1, whose load fails; the view swallows the
	// error, but cannot be stored: nothing would invalidate it.
	if _, err := n.view.Get(ctx, -10); err != nil {
		t.Fatalf("view.Get(-10) error = %v", err)
	}
	if _, ok := n.view.Peek(ctx, -10); ok {
		t.Errorf("view.Peek(-10) = _, true; want the view of an uncached inner call not stored")
	}
}

func TestNested_EvictingInnerEvictsOuter(t *testing.T) {
	n := newNested()
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{MaxEntries: 1})
	defer c.Close()

	// The view takes the only place while it loads; its item goes over the
	// bound, and is evicted when it is loaded, with the view that used it:
	// a view whose item is not held could not be invalidated through it.
	if _, err := n.view.Get(ctx, 10); err != nil {
		t.Fatalf("view.Get(10) error = %v", err)
	}
	if _, ok := n.view.Peek(ctx, 10); ok {
		t.Errorf("view.Peek(10) = _, true; want not stored: its item was evicted")
	}
	if s := c.Stats(); s.Evicted != 2 || s.Entries != 0 {
		t.Errorf("Stats() = %+v; want 2 evicted, 0 entries", s)
	}
}

func TestAddTags(t *testing.T) {
	version := int64(0)
	// A report assembled by hand: it reads item 3 without a cached call,
	// and says so with AddTags.
	report := reqcache.Cache1(Orders, func(ctx context.Context, id int64) (int64, error) {
		if !reqcache.AddTags(ctx, Items.Tag(3), region.Tag{}) {
			return 0, errors.New("AddTags outside a load")
		}
		return version, nil
	}, OrderID)
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()

	if reqcache.AddTags(ctx, Items.Tag(3)) {
		t.Errorf("AddTags outside a load = true; want false")
	}
	if _, err := report.Get(ctx, 1); err != nil {
		t.Fatalf("report.Get(1) error = %v", err)
	}
	version = 1
	if n := invalidate.ID(ctx, Items, 4); n != 0 {
		t.Errorf("invalidate.ID(4) = %d; want 0", n)
	}
	if n := invalidate.ID(ctx, Items, 3); n != 1 {
		t.Errorf("invalidate.ID(3) = %d; want 1", n)
	}
	if v, _ := report.Get(ctx, 1); v != 1 {
		t.Errorf("report.Get(1) = %v; want 1", v)
	}
}
