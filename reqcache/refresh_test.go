package reqcache_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"

	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// refreshDB is a store of item versions that counts its loads per call.
type refreshDB struct {
	mu       sync.Mutex
	versions map[int64]int64
	loads    map[string]int
	gate     map[int64]*gate // item loads that wait for a gate
}

func newRefreshDB() *refreshDB {
	return &refreshDB{versions: map[int64]int64{}, loads: map[string]int{}, gate: map[int64]*gate{}}
}

func (db *refreshDB) count(call string) {
	db.mu.Lock()
	db.loads[call]++
	db.mu.Unlock()
}

func (db *refreshDB) item(id int64) item {
	db.count(fmt.Sprintf("item(%d)", id))
	db.mu.Lock()
	g := db.gate[id]
	db.mu.Unlock()
	if g != nil {
		g.wait()
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	return item{ID: id, Version: db.versions[id]}
}

func (db *refreshDB) bump(ids ...int64) {
	db.mu.Lock()
	defer db.mu.Unlock()
	for _, id := range ids {
		db.versions[id]++
	}
}

// takeLoads returns the loads counted since the last call.
func (db *refreshDB) takeLoads() map[string]int {
	db.mu.Lock()
	defer db.mu.Unlock()
	l := db.loads
	db.loads = map[string]int{}
	return l
}

// summaryRepo has three levels of cached methods: a summary of orders 1..n
// made of the orders' views, each made of its item (order o is for item
// o), and a batch method of items that shares the items' entries.
type summaryRepo struct {
	db      *refreshDB
	item    *reqcache.Func1[int64, item]
	items   *reqcache.Batch[int64, item]
	view    *reqcache.Func1[int64, orderView]
	summary *reqcache.Func1[int64, []int64] // the item versions of orders 1..n
}

func newSummaryRepo(db *refreshDB, summaryOpts ...reqcache.Option) *summaryRepo {
	r := &summaryRepo{db: db}
	r.item = reqcache.Cache1(Items, func(_ context.Context, id int64) (item, error) {
		return db.item(id), nil
	}, ItemID, reqcache.IDFromParam(ItemID), reqcache.Name("item"))
	r.items = r.item.Batch(func(_ context.Context, ids []int64) (map[int64]item, error) {
		db.count(fmt.Sprint("items", ids))
		m := map[int64]item{}
		for _, id := range ids {
			db.mu.Lock()
			m[id] = item{ID: id, Version: db.versions[id]}
			db.mu.Unlock()
		}
		return m, nil
	})
	r.view = reqcache.Cache1(Orders, func(ctx context.Context, o int64) (orderView, error) {
		db.count(fmt.Sprintf("view(%d)", o))
		it, err := r.item.Get(ctx, o)
		return orderView{Order: order{ID: o, ItemID: o}, Item: it}, err
	}, OrderID, reqcache.Name("view"))
	opts := append([]reqcache.Option{reqcache.Name("summary")}, summaryOpts...)
	r.summary = reqcache.Cache1(Orders, func(ctx context.Context, n int64) ([]int64, error) {
		db.count(fmt.Sprintf("summary(%d)", n))
		var vs []int64
		for o := int64(1); o <= n; o++ {
			v, err := r.view.Get(ctx, o)
			if err != nil {
				return nil, err
			}
			vs = append(vs, v.Item.Version)
		}
		return vs, nil
	}, OrderCount, opts...)
	return r
}

// OrderCount is the parameter of summaries: how many orders they sum.
var OrderCount = region.NewParam[int64]("orderCount")

func TestRefresh_DeepReloadsTheCallsOfTheLoad(t *testing.T) {
	tests := []struct {
		name      string
		opts      []reqcache.Option
		want      []int64
		wantLoads map[string]int
	}{
		{"deep by default", nil, []int64{1, 1}, map[string]int{
			"summary(2)": 1, "view(1)": 1, "view(2)": 1, "item(1)": 1, "item(2)": 1}},
		{"ShallowRefresh", []reqcache.Option{reqcache.ShallowRefresh()}, []int64{0, 0}, map[string]int{
			"summary(2)": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newRefreshDB()
			r := newSummaryRepo(db, tt.opts...)
			ctx, c := reqcache.Scope(context.Background())
			defer c.Close()
			if v, err := r.summary.Get(ctx, 2); err != nil || !slices.Equal(v, []int64{0, 0}) {
				t.Fatalf("summary.Get(2) = %v, %v; want [0 0]", v, err)
			}
			db.takeLoads()
			db.bump(1, 2) // changed under the cache, without an invalidation

			if v, err := r.summary.Refresh(ctx, 2); err != nil || !slices.Equal(v, tt.want) {
				t.Errorf("summary.Refresh(2) = %v, %v; want %v", v, err, tt.want)
			}
			if got := db.takeLoads(); !maps.Equal(got, tt.wantLoads) {
				t.Errorf("Refresh(2) loaded %v; want %v", got, tt.wantLoads)
			}
			// What the refresh loaded is stored: the next reads hit.
			if v, _ := r.summary.Get(ctx, 2); !slices.Equal(v, tt.want) {
				t.Errorf("summary.Get(2) after Refresh = %v; want %v", v, tt.want)
			}
			if it, ok := r.item.Peek(ctx, 1); !ok || it.Version != tt.want[0] {
				t.Errorf("item.Peek(1) after Refresh = %+v, %v; want version %d", it, ok, tt.want[0])
			}
			if got := db.takeLoads(); len(got) != 0 {
				t.Errorf("reads after Refresh loaded %v; want nothing", got)
			}
		})
	}
}

// freshScope returns a cache in which r's summary of 2 orders is loaded,
// and the store changed under it, without an invalidation.
func freshScope(t *testing.T, r *summaryRepo) (context.Context, *reqcache.Cache) {
	t.Helper()
	ctx, c := reqcache.Scope(context.Background())
	if v, err := r.summary.Get(ctx, 2); err != nil || !slices.Equal(v, []int64{0, 0}) {
		t.Fatalf("summary.Get(2) = %v, %v; want [0 0]", v, err)
	}
	r.db.bump(1, 2)
	r.db.takeLoads()
	return ctx, c
}

func TestRefresh_OneLoadPerCallInATree(t *testing.T) {
	db := newRefreshDB()
	r := newSummaryRepo(db)
	// many asks for item 1, from goroutines of its load and by Refresh.
	many := reqcache.Cache1(Orders, func(ctx context.Context, n int64) (int64, error) {
		var wg sync.WaitGroup
		versions := make([]int64, n)
		for i := range versions {
			wg.Add(1)
			go func() {
				defer wg.Done()
				it, _ := r.item.Get(ctx, 1)
				versions[i] = it.Version
			}()
		}
		wg.Wait()
		a, _ := r.item.Refresh(ctx, 1)
		b, _ := r.item.Refresh(ctx, 1)
		if !slices.Equal(versions, slices.Repeat([]int64{a.Version}, int(n))) || b != a {
			return 0, fmt.Errorf("versions %v, refreshed %d and %d: want one", versions, a.Version, b.Version)
		}
		return a.Version, nil
	}, OrderCount, reqcache.Name("many"))
	ctx, c := freshScope(t, r)
	defer c.Close()

	if v, err := many.Refresh(ctx, 4); err != nil || v != 1 {
		t.Errorf("many.Refresh(4) = %d, %v; want 1", v, err)
	}
	if got, want := db.takeLoads(), map[string]int{"item(1)": 1}; !maps.Equal(got, want) {
		t.Errorf("Refresh(4) loaded %v; want %v", got, want)
	}
}

func TestRefresh_PeekInATreeSkipsStaleEntries(t *testing.T) {
	db := newRefreshDB()
	r := newSummaryRepo(db)
	peek := reqcache.Cache1(Orders, func(ctx context.Context, id int64) (bool, error) {
		_, ok := r.item.Peek(ctx, id)
		return ok, nil
	}, OrderID, reqcache.Name("peek"))
	ctx, c := freshScope(t, r)
	defer c.Close()

	if ok, _ := peek.Get(ctx, 1); !ok {
		t.Errorf("peek.Get(1) = false; want true: item 1 is stored")
	}
	if ok, _ := peek.Refresh(ctx, 1); ok {
		t.Errorf("peek.Refresh(1) = true; want false: the refresh skips the stale item 1")
	}
}

// TestRefresh_PrimeInATreeIsFresh primes an item from a load and reads it
// back in the same load, through Get and through a deep Refresh: a tree
// uses what it primed, as it uses what it loaded. On cadeacc the entry a
// tree primed counted as older than the tree, and the item loaded again.
func TestRefresh_PrimeInATreeIsFresh(t *testing.T) {
	db := newRefreshDB()
	r := newSummaryRepo(db)
	primed := reqcache.Cache1(Orders, func(ctx context.Context, id int64) (int64, error) {
		r.item.Prime(ctx, id, item{ID: id, Version: 42})
		it, err := r.item.Get(ctx, id)
		return it.Version, err
	}, OrderID, reqcache.Name("primed"))
	ctx, c := freshScope(t, r)
	defer c.Close()

	tests := []struct {
		name string
		call func(context.Context, int64) (int64, error)
	}{
		{"Get", primed.Get},
		{"Refresh", primed.Refresh},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if v, err := tt.call(ctx, 1); err != nil || v != 42 {
				t.Errorf("%s(1) = %d, %v; want 42, the version primed", tt.name, v, err)
			}
			if got := db.takeLoads(); got["item(1)"] != 0 {
				t.Errorf("%s(1) loaded %v; want no load of item(1)", tt.name, got)
			}
		})
	}
}

func TestRefresh_BatchCalls(t *testing.T) {
	tests := []struct {
		name      string
		refresh   func(ctx context.Context, r *summaryRepo, views *reqcache.Batch[int64, orderView], sum *reqcache.Func1[int64, int64]) (int64, error)
		wantLoads map[string]int
	}{
		{"a batch method called from a refreshing load", func(ctx context.Context, _ *summaryRepo, _ *reqcache.Batch[int64, orderView], sum *reqcache.Func1[int64, int64]) (int64, error) {
			return sum.Refresh(ctx, 3)
		}, map[string]int{"sum(3)": 1, "items[1 2 3]": 1}},
		{"Batch.Refresh", func(ctx context.Context, _ *summaryRepo, views *reqcache.Batch[int64, orderView], _ *reqcache.Func1[int64, int64]) (int64, error) {
			m, err := views.Refresh(ctx, []int64{1, 2, 3})
			return m[1].Item.Version + m[2].Item.Version + m[3].Item.Version, err
		}, map[string]int{"views[1 2 3]": 1, "item(1)": 1, "item(2)": 1, "item(3)": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newRefreshDB()
			r := newSummaryRepo(db)
			sum := reqcache.Cache1(Orders, func(ctx context.Context, n int64) (int64, error) {
				db.count(fmt.Sprintf("sum(%d)", n))
				m, err := r.items.Get(ctx, []int64{1, 2, 3})
				return m[1].Version + m[2].Version + m[3].Version, err
			}, OrderCount, reqcache.Name("sum"))
			views := reqcache.CacheBatch(Orders, func(ctx context.Context, os []int64) (map[int64]orderView, error) {
				db.count(fmt.Sprint("views", os))
				m := map[int64]orderView{}
				for _, o := range os {
					it, err := r.item.Get(ctx, o)
					if err != nil {
						return nil, err
					}
					m[o] = orderView{Order: order{ID: o, ItemID: o}, Item: it}
				}
				return m, nil
			}, reqcache.Name("views"))
			ctx, c := reqcache.Scope(context.Background())
			defer c.Close()
			if _, err := sum.Get(ctx, 3); err != nil {
				t.Fatalf("sum.Get(3) = %v", err)
			}
			if _, err := views.Get(ctx, []int64{1, 2, 3}); err != nil {
				t.Fatalf("views.Get(1, 2, 3) = %v", err)
			}
			db.bump(1, 2, 3)
			db.takeLoads()

			if v, err := tt.refresh(ctx, r, views, sum); err != nil || v != 3 {
				t.Errorf("refresh = %d, %v; want 3, the sum of the new versions", v, err)
			}
			if got := db.takeLoads(); !maps.Equal(got, tt.wantLoads) {
				t.Errorf("refresh loaded %v; want %v", got, tt.wantLoads)
			}
			for id := int64(1); id <= 3; id++ {
				if it, ok := r.item.Peek(ctx, id); !ok || it.Version != 1 {
					t.Errorf("item.Peek(%d) = %+v, %v; want version 1 stored", id, it, ok)
				}
			}
		})
	}
}

func TestRefresh_CycleFailsAtOnce(t *testing.T) {
	var a, b *reqcache.Func1[int64, int64]
	a = reqcache.Cache1(Items, func(ctx context.Context, id int64) (int64, error) {
		if id == 0 {
			return 0, nil
		}
		return b.Get(ctx, id)
	}, ItemID, reqcache.Name("a"))
	b = reqcache.Cache1(Orders, func(ctx context.Context, id int64) (int64, error) {
		return a.Get(ctx, id) // a(id) calls b(id): a cycle when id != 0
	}, OrderID, reqcache.Name("b"))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	if _, err := a.Refresh(ctx, 1); !errors.Is(err, reqcache.ErrCycle) {
		t.Errorf("a.Refresh(1) = %v; want an error wrapping ErrCycle", err)
	}
	if _, err := b.Refresh(ctx, 0); err != nil {
		t.Errorf("b.Refresh(0) = %v; want no error", err)
	}
}

func TestRefresh_DependsOnTheFreshEntries(t *testing.T) {
	db := newRefreshDB()
	r := newSummaryRepo(db)
	// outer is no part of a refresh: it calls Refresh, and depends on what
	// it loads.
	outer := reqcache.Cache1(Orders, func(ctx context.Context, id int64) (int64, error) {
		it, err := r.item.Refresh(ctx, id)
		return it.Version, err
	}, OrderID, reqcache.Name("outer"))
	ctx, c := freshScope(t, r)
	defer c.Close()
	if _, err := r.summary.Refresh(ctx, 2); err != nil {
		t.Fatalf("summary.Refresh(2) = %v", err)
	}
	if _, err := outer.Get(ctx, 3); err != nil {
		t.Fatalf("outer.Get(3) = %v", err)
	}
	tests := []struct {
		name string
		held func() bool
		want bool
	}{
		{"summary", func() bool { _, ok := r.summary.Peek(ctx, 2); return ok }, false},
		{"view(1)", func() bool { _, ok := r.view.Peek(ctx, 1); return ok }, false},
		{"view(2)", func() bool { _, ok := r.view.Peek(ctx, 2); return ok }, true},
		{"outer(3)", func() bool { _, ok := outer.Peek(ctx, 3); return ok }, true},
	}
	r.item.Invalidate(ctx, 1)
	for _, tt := range tests {
		t.Run("after item(1) invalidated: "+tt.name, func(t *testing.T) {
			if got := tt.held(); got != tt.want {
				t.Errorf("Peek held = %v; want %v", got, tt.want)
			}
		})
	}
	r.item.Invalidate(ctx, 3)
	if _, ok := outer.Peek(ctx, 3); ok {
		t.Errorf("outer.Peek(3) after item(3) invalidated = held; want dropped: outer depends on what its Refresh loaded")
	}
}

// ExampleFunc1_Refresh refreshes an order summary after its lines changed
// under the cache: the refresh reloads the lines too, so the summary is not
// assembled from the stale ones. A method made with ShallowRefresh would
// reload the summary alone.
func ExampleFunc1_Refresh() {
	prices := map[int64]int64{1: 100, 2: 250}
	queries := 0
	line := reqcache.Cache1(Items, func(_ context.Context, id int64) (int64, error) {
		queries++
		return prices[id], nil
	}, ItemID, reqcache.Name("line"))
	total := reqcache.Cache1(Orders, func(ctx context.Context, id int64) (int64, error) {
		queries++
		a, _ := line.Get(ctx, 1)
		b, _ := line.Get(ctx, 2)
		return a + b, nil
	}, OrderID, reqcache.Name("total"))

	ctx, cache := reqcache.Scope(context.Background())
	defer cache.Close()
	t, _ := total.Get(ctx, 7)
	fmt.Println("total:", t, "queries:", queries)

	prices[2] = 300 // changed by another process: no invalidation here
	t, _ = total.Get(ctx, 7)
	fmt.Println("cached:", t, "queries:", queries)
	t, _ = total.Refresh(ctx, 7)
	fmt.Println("refreshed:", t, "queries:", queries)
	p, _ := line.Get(ctx, 2)
	fmt.Println("line 2:", p, "queries:", queries)
	// Output:
	// total: 350 queries: 3
	// cached: 350 queries: 3
	// refreshed: 400 queries: 6
	// line 2: 300 queries: 6
}

// TestRefresh_ShallowInsideADeepTree checks that ShallowRefresh applies to
// a method's own Refresh only: inside another method's deep refresh, the
// method's calls and its own Refresh skip the cache, once per tree.
func TestRefresh_ShallowInsideADeepTree(t *testing.T) {
	db := newRefreshDB()
	var line *reqcache.Func1[int64, int64]
	line = reqcache.Cache1(Items, func(_ context.Context, id int64) (int64, error) {
		return db.item(id).Version, nil
	}, ItemID, reqcache.Name("line"), reqcache.ShallowRefresh())
	total := reqcache.Cache1(Orders, func(ctx context.Context, id int64) (int64, error) {
		a, _ := line.Get(ctx, 1)
		b, _ := line.Refresh(ctx, 1) // joins the tree: no second load
		return a + b, nil
	}, OrderID, reqcache.Name("total"))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	if v, err := total.Get(ctx, 1); err != nil || v != 0 {
		t.Fatalf("total.Get(1) = %d, %v; want 0", v, err)
	}
	db.bump(1)
	db.takeLoads()
	if v, err := total.Refresh(ctx, 1); err != nil || v != 2 {
		t.Errorf("total.Refresh(1) = %d, %v; want 2, from the reloaded line", v, err)
	}
	if got, want := db.takeLoads(), map[string]int{"item(1)": 1}; !maps.Equal(got, want) {
		t.Errorf("Refresh(1) loaded %v; want %v", got, want)
	}
}
