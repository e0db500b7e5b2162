package reqcache_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// fixture holds one cache with entries in several methods of two regions:
//
//	byID(1), byID(2)               Items, ID from the argument
//	byGroup(g0), byGroup(g1)       Items, IDs from the result (g0: 2, 4; g1: 1, 3)
//	pair(1, g1), pair(2, g0)       Items, two parameters, ID from the argument
//	orders(1), orders(2)           Orders, tagged with their item
//	all()                          Items, no parameters, no IDs
type fixture struct {
	ctx     context.Context
	c       *reqcache.Cache
	byID    *reqcache.Func1[int64, item]
	byGroup *reqcache.Func1[string, []item]
	pair    *reqcache.Func2[int64, string, item]
	orders  *reqcache.Func1[int64, []order]
	all     *reqcache.Func0[[]item]
}

func groupOf(id int64) string { return fmt.Sprintf("g%d", id%2) }

func newFixture(t *testing.T, opts reqcache.Options) *fixture {
	t.Helper()
	f := &fixture{
		byID: reqcache.Cache1(Items, func(_ context.Context, id int64) (item, error) {
			return itemOf(id)
		}, ItemID, reqcache.IDFromParam(ItemID), reqcache.Name("byID")),
		byGroup: reqcache.Cache1(Items, func(_ context.Context, g string) ([]item, error) {
			if g == "g0" {
				return []item{{ID: 2, Group: g}, {ID: 4, Group: g}}, nil
			}
			return []item{{ID: 1, Group: g}, {ID: 3, Group: g}}, nil
		}, Group, reqcache.IDsFromResult(func(is []item) []int64 {
			ids := make([]int64, len(is))
			for i, it := range is {
				ids[i] = it.ID
			}
			return ids
		}), reqcache.Name("byGroup")),
		pair: reqcache.Cache2(Items, func(_ context.Context, id int64, g string) (item, error) {
			return item{ID: id, Group: g}, nil
		}, ItemID, Group, reqcache.IDFromParam(ItemID), reqcache.Name("pair")),
		orders: reqcache.Cache1(Orders, func(_ context.Context, itemID int64) ([]order, error) {
			return []order{{ID: 10 * itemID, ItemID: itemID}}, nil
		}, ItemID, reqcache.TagsFromResult(func(os []order) []region.Tag {
			var tags []region.Tag
			for _, o := range os {
				tags = append(tags, Items.Tag(o.ItemID))
			}
			return tags
		}), reqcache.Name("orders")),
		all: reqcache.Cache0(Items, func(context.Context) ([]item, error) {
			return []item{{ID: 1}, {ID: 2}}, nil
		}, reqcache.Name("all")),
	}
	f.ctx, f.c = reqcache.ScopeWithOptions(context.Background(), opts)
	t.Cleanup(f.c.Close)
	var errs []error
	for _, id := range []int64{1, 2} {
		_, err1 := f.byID.Get(f.ctx, id)
		_, err2 := f.byGroup.Get(f.ctx, groupOf(id))
		_, err3 := f.pair.Get(f.ctx, id, groupOf(id))
		_, err4 := f.orders.Get(f.ctx, id)
		errs = append(errs, err1, err2, err3, err4)
	}
	_, err := f.all.Get(f.ctx)
	if err := errors.Join(append(errs, err)...); err != nil {
		t.Fatalf("loading the fixture: %v", err)
	}
	return f
}

// held returns the calls the fixture's cache still holds, by name.
func (f *fixture) held() []string {
	var names []string
	peek := func(name string, ok bool) {
		if ok {
			names = append(names, name)
		}
	}
	for _, id := range []int64{1, 2} {
		_, ok := f.byID.Peek(f.ctx, id)
		peek(fmt.Sprintf("byID(%d)", id), ok)
	}
	for _, g := range []string{"g0", "g1"} {
		_, ok := f.byGroup.Peek(f.ctx, g)
		peek("byGroup("+g+")", ok)
	}
	for _, id := range []int64{1, 2} {
		_, ok := f.pair.Peek(f.ctx, id, groupOf(id))
		peek(fmt.Sprintf("pair(%d, %s)", id, groupOf(id)), ok)
	}
	for _, id := range []int64{1, 2} {
		_, ok := f.orders.Peek(f.ctx, id)
		peek(fmt.Sprintf("orders(%d)", id), ok)
	}
	_, ok := f.all.Peek(f.ctx)
	peek("all()", ok)
	return names
}

func TestInvalidate_Targets(t *testing.T) {
	tests := []struct {
		name    string
		targets []region.Target
		want    []string // what the cache still holds
	}{
		{
			name:    "ID from argument, result and tags",
			targets: []region.Target{Items.Tag(1)},
			want:    []string{"byID(2)", "byGroup(g0)", "pair(2, g0)", "orders(2)", "all()"},
		},
		{
			name:    "several IDs at once",
			targets: []region.Target{Items.Tag(1), Items.Tag(2)},
			want:    []string{"all()"},
		},
		{
			name:    "ID no entry has",
			targets: []region.Target{Items.Tag(99)},
			want:    []string{"byID(1)", "byID(2)", "byGroup(g0)", "byGroup(g1)", "pair(1, g1)", "pair(2, g0)", "orders(1)", "orders(2)", "all()"},
		},
		{
			name:    "partial parameters; methods without them lose all",
			targets: []region.Target{Items.Where(Group.Is("g0"))},
			want:    []string{"byGroup(g1)", "pair(1, g1)", "orders(1)", "orders(2)"},
		},
		{
			name:    "full parameters",
			targets: []region.Target{Items.Where(ItemID.Is(1), Group.Is("g1"))},
			want:    []string{"pair(2, g0)", "orders(1)", "orders(2)"},
		},
		{
			name:    "parameters of another region's method",
			targets: []region.Target{Orders.Where(ItemID.Is(2))},
			want:    []string{"byID(1)", "byID(2)", "byGroup(g0)", "byGroup(g1)", "pair(1, g1)", "pair(2, g0)", "orders(1)", "all()"},
		},
		{
			name:    "whole region",
			targets: []region.Target{Items.Where()},
			want:    nil, // the orders are tagged with items

		},
		{
			name:    "everything",
			targets: []region.Target{region.Everything},
			want:    nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, reqcache.Options{})
			before := len(f.held())
			n, err := reqcache.Invalidate(f.ctx, tt.targets...)
			if err != nil {
				t.Fatalf("Invalidate(%v) error = %v", tt.targets, err)
			}
			got := f.held()
			if !slices.Equal(got, tt.want) {
				t.Errorf("Invalidate(%v) left %v; want %v", tt.targets, got, tt.want)
			}
			if removed := before - len(got); n != removed {
				t.Errorf("Invalidate(%v) = %d; want %d", tt.targets, n, removed)
			}
			if s := f.c.Stats(); s.Invalidated != int64(n) || s.Entries != int64(len(got)) {
				t.Errorf("Stats() = %+v; want Invalidated %d, Entries %d", s, n, len(got))
			}
		})
	}
}

func TestInvalidate_Errors(t *testing.T) {
	tests := []struct {
		name   string
		target region.Target
	}{
		{"nil target", nil},
		{"zero tag", region.Tag{}},
		{"zero filter", region.Filter{}},
		{"zero condition", Items.Where(region.Cond{})},
		{"parameter given twice", Items.Where(Group.Is("a"), Group.Is("b"))},
		{"strict region, other parameter", strictItems.Where(ItemID.Is(1))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, reqcache.Options{})
			n, err := reqcache.Invalidate(f.ctx, Items.Tag(1), tt.target)
			if err == nil {
				t.Fatalf("Invalidate(%v) error = nil; want an error", tt.target)
			}
			if n != 0 || len(f.held()) != 9 {
				t.Errorf("Invalidate(%v) = %d and left %v; want nothing removed", tt.target, n, f.held())
			}
		})
	}
}

func TestInvalidate_ReportsToOnInvalidate(t *testing.T) {
	var got []reqcache.Invalidation
	f := newFixture(t, reqcache.Options{OnInvalidate: func(inv reqcache.Invalidation) { got = append(got, inv) }})
	f.byID.Invalidate(f.ctx, 2)
	_, _ = reqcache.Invalidate(f.ctx, Items.Where(Group.Is("g1")), Orders.Tag(20))
	f.byGroup.InvalidateAll(f.ctx)

	want := []reqcache.Invalidation{
		{Target: "byID(2)", Removed: []string{"byID(2)"}},
		{Target: "item(group=g1), order:20", Removed: []string{"byID(1)", "byGroup(\"g1\")", "pair(1, \"g1\")", "all()"}},
		{Target: "byGroup(*)", Removed: []string{"byGroup(\"g0\")"}},
	}
	if len(got) != len(want) {
		t.Fatalf("OnInvalidate got %d reports %v; want %v", len(got), got, want)
	}
	for i := range want {
		slices.Sort(got[i].Removed)
		slices.Sort(want[i].Removed)
		if got[i].Target != want[i].Target || !slices.Equal(got[i].Removed, want[i].Removed) {
			t.Errorf("report %d = %+v; want %+v", i, got[i], want[i])
		}
	}
}

// TestInvalidate_BeatsLoadUnderWay checks, for every kind of invalidation,
// that a load under way when it runs is not stored, and that a call made
// after it loads again instead of joining that load.
func TestInvalidate_BeatsLoadUnderWay(t *testing.T) {
	type method struct {
		get        func(ctx context.Context) (int64, error)
		peek       func(ctx context.Context) (int64, bool)
		invalidate func(ctx context.Context) (int, error)
	}
	tests := []struct {
		name string
		make func(load func(context.Context) (int64, error)) method
	}{
		{"exact call", func(load func(context.Context) (int64, error)) method {
			f := reqcache.Cache1(Items, func(ctx context.Context, _ int64) (int64, error) { return load(ctx) }, ItemID)
			return method{
				get:  func(ctx context.Context) (int64, error) { return f.Get(ctx, 1) },
				peek: func(ctx context.Context) (int64, bool) { return f.Peek(ctx, 1) },
				invalidate: func(ctx context.Context) (int, error) {
					f.Invalidate(ctx, 1)
					return 0, nil
				},
			}
		}},
		{"parameter", func(load func(context.Context) (int64, error)) method {
			f := reqcache.Cache2(Items, func(ctx context.Context, _ int64, _ string) (int64, error) { return load(ctx) }, ItemID, Group)
			return method{
				get:  func(ctx context.Context) (int64, error) { return f.Get(ctx, 1, "g") },
				peek: func(ctx context.Context) (int64, bool) { return f.Peek(ctx, 1, "g") },
				invalidate: func(ctx context.Context) (int, error) {
					return reqcache.Invalidate(ctx, Items.Where(Group.Is("g")))
				},
			}
		}},
		{"ID from argument", func(load func(context.Context) (int64, error)) method {
			f := reqcache.Cache1(Items, func(ctx context.Context, _ int64) (int64, error) { return load(ctx) }, ItemID, reqcache.IDFromParam(ItemID))
			return method{
				get:        func(ctx context.Context) (int64, error) { return f.Get(ctx, 1) },
				peek:       func(ctx context.Context) (int64, bool) { return f.Peek(ctx, 1) },
				invalidate: func(ctx context.Context) (int, error) { return reqcache.Invalidate(ctx, Items.Tag(1)) },
			}
		}},
		{"ID from result", func(load func(context.Context) (int64, error)) method {
			f := reqcache.Cache1(Items, func(ctx context.Context, _ string) (int64, error) { return load(ctx) }, Group,
				reqcache.IDFromResult(func(int64) int64 { return 1 }))
			return method{
				get:        func(ctx context.Context) (int64, error) { return f.Get(ctx, "g") },
				peek:       func(ctx context.Context) (int64, bool) { return f.Peek(ctx, "g") },
				invalidate: func(ctx context.Context) (int, error) { return reqcache.Invalidate(ctx, Items.Tag(1)) },
			}
		}},
		{"tag", func(load func(context.Context) (int64, error)) method {
			f := reqcache.Cache1(Orders, func(ctx context.Context, _ int64) (int64, error) { return load(ctx) }, OrderID,
				reqcache.TagsFromResult(func(int64) []region.Tag { return []region.Tag{Items.Tag(1)} }))
			return method{
				get:        func(ctx context.Context) (int64, error) { return f.Get(ctx, 7) },
				peek:       func(ctx context.Context) (int64, bool) { return f.Peek(ctx, 7) },
				invalidate: func(ctx context.Context) (int, error) { return reqcache.Invalidate(ctx, Items.Tag(1)) },
			}
		}},
		{"region", func(load func(context.Context) (int64, error)) method {
			f := reqcache.Cache1(Items, func(ctx context.Context, _ int64) (int64, error) { return load(ctx) }, ItemID)
			return method{
				get:        func(ctx context.Context) (int64, error) { return f.Get(ctx, 1) },
				peek:       func(ctx context.Context) (int64, bool) { return f.Peek(ctx, 1) },
				invalidate: func(ctx context.Context) (int, error) { return reqcache.Invalidate(ctx, Items.Where()) },
			}
		}},
		{"everything", func(load func(context.Context) (int64, error)) method {
			f := reqcache.Cache1(Items, func(ctx context.Context, _ int64) (int64, error) { return load(ctx) }, ItemID)
			return method{
				get:        func(ctx context.Context) (int64, error) { return f.Get(ctx, 1) },
				peek:       func(ctx context.Context) (int64, bool) { return f.Peek(ctx, 1) },
				invalidate: func(ctx context.Context) (int, error) { return reqcache.Invalidate(ctx, region.Everything) },
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			version := int64(0)
			g := newGate()
			m := tt.make(func(context.Context) (int64, error) {
				mu.Lock()
				v := version
				mu.Unlock()
				if v == 0 {
					g.wait() // the stale load: it read the data before the write
				}
				return v, nil
			})
			ctx, c := reqcache.Scope(context.Background())
			defer c.Close()
			waiting, restore := reqcache.OnWaiting()
			defer restore()

			stale := make(chan int64)
			go func() { v, _ := m.get(ctx); stale <- v }()
			<-g.started

			mu.Lock()
			version = 1 // the write
			mu.Unlock()
			if _, err := m.invalidate(ctx); err != nil {
				t.Fatalf("invalidate: %v", err)
			}
			fresh := make(chan int64)
			go func() { v, _ := m.get(ctx); fresh <- v }()
			select {
			case v := <-fresh:
				if v != 1 {
					t.Errorf("Get after the invalidation = %v; want 1 from a new load", v)
				}
				close(g.open)
			case <-waiting:
				t.Errorf("Get after the invalidation waits for the load that started before it")
				close(g.open)
				<-fresh
			}
			if v := <-stale; v != 0 {
				t.Errorf("Get that started before the invalidation = %v; want 0 from its own load", v)
			}
			if v, ok := m.peek(ctx); !ok || v != 1 {
				t.Errorf("Peek after both loads = %v, %v; want 1, true: the stale load must not be stored", v, ok)
			}
		})
	}
}
