package reqcache_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

type repo struct{}

func (repo) GetItem(context.Context, int64) (item, error)                 { return item{}, nil }
func (repo) GetItemByGroup(context.Context, int64, string) (item, error)  { return item{}, nil }
func (repo) GetItems(context.Context, string) ([]item, error)             { return nil, nil }
func (repo) GetByAny(context.Context, any) (item, error)                  { return item{}, nil }
func (repo) GetByStruct(context.Context, struct{ E error }) (item, error) { return item{}, nil }

var (
	strictItems = region.New[struct{ strictItem bool }, int64]("strictItem", region.Strict(Group))
	int32ID     = region.NewParam[int32]("int32ID")
)

// panicText runs f and returns what it panicked with, as text.
func panicText(f func()) (text string) {
	defer func() {
		if r := recover(); r != nil {
			text = fmt.Sprint(r)
		}
	}()
	f()
	return "<no panic>"
}

func TestCache_Misdeclarations(t *testing.T) {
	var r repo
	tests := []struct {
		name string
		make func()
		want string
	}{
		{"parameter twice",
			func() {
				reqcache.Cache2(Items, func(context.Context, int64, int64) (int, error) { return 0, nil }, ItemID, ItemID)
			},
			`parameter itemID int64 declared twice (arguments 1 and 2)`},
		{"ID parameter the method lacks",
			func() { reqcache.Cache1(Items, r.GetItems, Group, reqcache.IDFromParam(ItemID)) },
			`repo.GetItems: ID parameter itemID int64 is not a parameter of the method`},
		{"ID parameter of the wrong type",
			func() {
				reqcache.Cache1(Items, func(context.Context, int32) (item, error) { return item{}, nil }, int32ID, reqcache.IDFromParam(int32ID))
			},
			`ID parameter int32ID int32 has type int32, but region item has IDs of type int64`},
		{"ID parameter twice",
			func() {
				reqcache.Cache1(Items, r.GetItem, ItemID, reqcache.IDFromParam(ItemID), reqcache.IDFromParam(ItemID))
			},
			`repo.GetItem: ID parameter itemID int64 declared twice`},
		{"IDFromResult for another result type",
			func() {
				reqcache.Cache1(Items, r.GetItems, Group, reqcache.IDFromResult(func(i item) int64 { return i.ID }))
			},
			`repo.GetItems: IDFromResult takes a func(reqcache_test.item), but the method returns []reqcache_test.item`},
		{"IDFromResult of the wrong ID type",
			func() {
				reqcache.Cache1(Items, r.GetItem, ItemID, reqcache.IDFromResult(func(i item) string { return "" }))
			},
			`IDFromResult returns IDs of type string, but region item has IDs of type int64`},
		{"ParamFromResult of an argument",
			func() {
				reqcache.Cache1(Items, r.GetItem, ItemID, reqcache.ParamFromResult(ItemID, func(i item) int64 { return i.ID }))
			},
			`repo.GetItem: parameter itemID int64 declared twice`},
		{"strict region parameter missing",
			func() { reqcache.Cache1(strictItems, r.GetItem, ItemID) },
			`repo.GetItem: region strictItem is strict and matches on parameter group string, which the method neither takes nor derives from its result`},
		// region.NewParam refuses such parameters; the argument's own type
		// is checked all the same.
		{"interface argument",
			func() { reqcache.Cache1(Items, r.GetByAny, (*region.Param[any])(nil)) },
			`repo.GetByAny: argument 1 of type interface {} cannot key a cache`},
		{"argument holding an interface",
			func() { reqcache.Cache1(Items, r.GetByStruct, (*region.Param[struct{ E error }])(nil)) },
			`argument 1 of type struct { E error } cannot key a cache`},
		{"nil region",
			func() { reqcache.Cache1((*region.Region[item, int64])(nil), r.GetItem, ItemID) },
			`repo.GetItem: nil region`},
		{"nil function",
			func() { reqcache.Cache1(Items, (func(context.Context, int64) (item, error))(nil), ItemID) },
			`reqcache: <nil func>: nil function`},
		{"nil parameter",
			func() { reqcache.Cache1(Items, r.GetItem, (*region.Param[int64])(nil)) },
			`repo.GetItem: parameter of argument 1 is nil`},
		{"nil option",
			func() { reqcache.Cache1(Items, r.GetItem, ItemID, nil) },
			`repo.GetItem: nil Option`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := panicText(tt.make)
			if !strings.HasPrefix(got, "reqcache: ") || !strings.Contains(got, tt.want) {
				t.Errorf("declaration panicked with %q; want a reqcache: message containing %q", got, tt.want)
			}
		})
	}
}

func TestCache_GoodDeclarations(t *testing.T) {
	var r repo
	tests := []struct {
		name string
		make func() string
		want string
	}{
		{"method value", func() string { return reqcache.Cache1(Items, r.GetItem, ItemID).Name() }, "reqcache_test.repo.GetItem"},
		{"named", func() string { return reqcache.Cache1(Items, r.GetItem, ItemID, reqcache.Name("byID")).Name() }, "byID"},
		{"strict, parameter as argument", func() string {
			return reqcache.Cache2(strictItems, r.GetItemByGroup, ItemID, Group).Name()
		}, "reqcache_test.repo.GetItemByGroup"},
		{"strict, parameter from result", func() string {
			return reqcache.Cache1(strictItems, r.GetItem, ItemID, reqcache.ParamFromResult(Group, func(i item) string { return i.Group })).Name()
		}, "reqcache_test.repo.GetItem"},
		{"batch", func() string {
			return reqcache.CacheBatch(Items, func(context.Context, []int64) (map[int64]item, error) { return nil, nil }, reqcache.Name("batch")).Name()
		}, "batch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			if p := panicText(func() { got = tt.make() }); p != "<no panic>" {
				t.Fatalf("declaration panicked: %s", p)
			}
			if got != tt.want {
				t.Errorf("Name() = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestStrict_ParamFromResultMatchesExactly(t *testing.T) {
	groups := map[int64]string{1: "a", 2: "b"}
	byID := reqcache.Cache1(strictItems, func(_ context.Context, id int64) (item, error) {
		if id == 3 {
			return item{}, errBoom
		}
		return item{ID: id, Group: groups[id]}, nil
	}, ItemID, reqcache.ParamFromResult(Group, func(i item) string { return i.Group }),
		reqcache.CacheErrors(func(error) bool { return true }))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	for _, id := range []int64{1, 2, 3} {
		_, _ = byID.Get(ctx, id)
	}
	// An entry that holds an error has no group: it matches every group.
	if n, err := reqcache.Invalidate(ctx, strictItems.Where(Group.Is("a"))); err != nil || n != 2 {
		t.Errorf("Invalidate(group=a) = %d, %v; want 2 (item 1 and the error of item 3)", n, err)
	}
	if _, ok := byID.Peek(ctx, 2); !ok {
		t.Errorf("Peek(2) = _, false; want item 2 of group b kept")
	}
}
