package reqcache_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// versions is a table whose rows change: each load returns the row's
// current version, and a load of a blocked key waits at its gate.
type versions struct {
	mu      sync.Mutex
	version map[int64]int64
	blocked map[int64]*gate
	loads   atomic.Int64
}

func newVersions() *versions {
	return &versions{version: map[int64]int64{}, blocked: map[int64]*gate{}}
}

// load returns item id at its current version.
func (db *versions) load(_ context.Context, id int64) (item, error) {
	db.loads.Add(1)
	db.mu.Lock()
	g := db.blocked[id]
	db.mu.Unlock()
	if g != nil {
		g.wait()
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	return item{ID: id, Group: parity(id), Version: db.version[id]}, nil
}

// write moves id to its next version.
func (db *versions) write(id int64) {
	db.mu.Lock()
	db.version[id]++
	db.mu.Unlock()
}

// block makes the next loads of id wait at a new gate, and returns it.
func (db *versions) block(id int64) *gate {
	g := newGate()
	db.mu.Lock()
	db.blocked[id] = g
	db.mu.Unlock()
	return g
}

// unblock opens g, the gate of id, and lets later loads of id through.
func (db *versions) unblock(id int64, g *gate) {
	db.mu.Lock()
	delete(db.blocked, id)
	db.mu.Unlock()
	close(g.open)
}

func parity(id int64) string { return map[bool]string{true: "even", false: "odd"}[id%2 == 0] }

// call is one cached call, seen by a test.
type call struct {
	get      func(ctx context.Context) (item, error)
	getStale func(ctx context.Context) (item, bool, error)
	peek     func(ctx context.Context) (item, bool)
}

func call1(f *reqcache.Func1[int64, item], id int64) call {
	return call{
		get:      func(ctx context.Context) (item, error) { return f.Get(ctx, id) },
		getStale: func(ctx context.Context) (item, bool, error) { return f.GetStale(ctx, id) },
		peek:     func(ctx context.Context) (item, bool) { return f.Peek(ctx, id) },
	}
}

func call2(f *reqcache.Func2[int64, string, item], id int64) call {
	return call{
		get:      func(ctx context.Context) (item, error) { return f.Get(ctx, id, parity(id)) },
		getStale: func(ctx context.Context) (item, bool, error) { return f.GetStale(ctx, id, parity(id)) },
		peek:     func(ctx context.Context) (item, bool) { return f.Peek(ctx, id, parity(id)) },
	}
}

// A staleCase marks call 1 stale with one kind of target, and leaves call
// 2, if not nil, as it is.
type staleCase struct {
	name string
	make func(db *versions) (one, two *call, mark func(ctx context.Context) (int, error))
}

func staleCases() []staleCase {
	load2 := func(db *versions) func(ctx context.Context, id int64, _ string) (item, error) {
		return func(ctx context.Context, id int64, _ string) (item, error) { return db.load(ctx, id) }
	}
	byTarget := func(t region.Target) func(ctx context.Context) (int, error) {
		return func(ctx context.Context) (int, error) { return reqcache.MarkStale(ctx, t) }
	}
	return []staleCase{
		{"exact call", func(db *versions) (*call, *call, func(context.Context) (int, error)) {
			f := reqcache.Cache1(Items, db.load, ItemID)
			one, two := call1(f, 1), call1(f, 2)
			return &one, &two, func(ctx context.Context) (int, error) { return f.MarkStale(ctx, 1), nil }
		}},
		{"all parameters", func(db *versions) (*call, *call, func(context.Context) (int, error)) {
			f := reqcache.Cache2(Items, load2(db), ItemID, Group)
			one, two := call2(f, 1), call2(f, 2)
			return &one, &two, byTarget(Items.Where(ItemID.Is(1), Group.Is("odd")))
		}},
		{"some parameters", func(db *versions) (*call, *call, func(context.Context) (int, error)) {
			f := reqcache.Cache2(Items, load2(db), ItemID, Group)
			one, two := call2(f, 1), call2(f, 2)
			return &one, &two, byTarget(Items.Where(Group.Is("odd")))
		}},
		{"ID from argument", func(db *versions) (*call, *call, func(context.Context) (int, error)) {
			f := reqcache.Cache1(Items, db.load, ItemID, reqcache.IDFromParam(ItemID))
			one, two := call1(f, 1), call1(f, 2)
			return &one, &two, byTarget(Items.Tag(1))
		}},
		{"ID from result", func(db *versions) (*call, *call, func(context.Context) (int, error)) {
			f := reqcache.Cache1(Items, db.load, ItemID, reqcache.IDFromResult(func(it item) int64 { return it.ID }))
			one, two := call1(f, 1), call1(f, 2)
			return &one, &two, byTarget(Items.Tag(1))
		}},
		{"tag", func(db *versions) (*call, *call, func(context.Context) (int, error)) {
			f := reqcache.Cache1(Orders, db.load, OrderID,
				reqcache.TagsFromResult(func(it item) []region.Tag { return []region.Tag{Items.Tag(it.ID)} }))
			one, two := call1(f, 1), call1(f, 2)
			return &one, &two, byTarget(Items.Tag(1))
		}},
		{"region", func(db *versions) (*call, *call, func(context.Context) (int, error)) {
			f := reqcache.Cache1(Items, db.load, ItemID)
			other := reqcache.Cache1(Orders, db.load, OrderID)
			one, two := call1(f, 1), call1(other, 2)
			return &one, &two, byTarget(Items.Where())
		}},
		{"everything", func(db *versions) (*call, *call, func(context.Context) (int, error)) {
			f := reqcache.Cache1(Items, db.load, ItemID)
			one := call1(f, 1)
			return &one, nil, byTarget(region.Everything)
		}},
	}
}

// TestMarkStale_Targets marks one call stale with every kind of target:
// Peek and Get no longer take it, GetStale answers with it while a reload
// is under way and with the reload's result after, and what the target
// does not select stays fresh.
func TestMarkStale_Targets(t *testing.T) {
	for _, tc := range staleCases() {
		t.Run(tc.name, func(t *testing.T) {
			db := newVersions()
			one, two, mark := tc.make(db)
			ctx, c := reqcache.Scope(context.Background())
			defer c.Close()
			if _, err := one.get(ctx); err != nil {
				t.Fatalf("Get = %v", err)
			}
			if two != nil {
				_, _ = two.get(ctx)
			}
			db.write(1)
			if n, err := mark(ctx); n != 1 || err != nil {
				t.Fatalf("MarkStale = %d, %v; want 1, nil", n, err)
			}
			if _, ok := one.peek(ctx); ok {
				t.Errorf("Peek after MarkStale = true; want false")
			}
			if two != nil {
				if _, ok := two.peek(ctx); !ok {
					t.Errorf("Peek of a call the target does not select = false; want true")
				}
			}
			if s := c.Stats(); s.Invalidated != 1 || s.Entries != int64(map[bool]int{true: 1, false: 2}[two == nil]) {
				t.Errorf("Stats() = %+v; want Invalidated 1, the stale entry still stored", s)
			}

			g := db.block(1)
			reloaded := make(chan item, 1)
			go func() {
				v, _ := one.get(ctx)
				reloaded <- v
			}()
			select {
			case <-g.started:
			case v := <-reloaded:
				t.Fatalf("Get after MarkStale = version %d from the cache; want a load", v.Version)
			}
			if v, fresh, err := one.getStale(ctx); v.Version != 0 || fresh || err != nil {
				t.Errorf("GetStale during the reload = version %d, %v, %v; want 0, false, nil", v.Version, fresh, err)
			}
			db.unblock(1, g)
			if v := <-reloaded; v.Version != 1 {
				t.Errorf("Get after MarkStale = version %d; want 1", v.Version)
			}
			if v, fresh, err := one.getStale(ctx); v.Version != 1 || !fresh || err != nil {
				t.Errorf("GetStale after the reload = version %d, %v, %v; want 1, true, nil", v.Version, fresh, err)
			}
			want := int64(3)
			if two == nil {
				want = 2
			}
			if got := db.loads.Load(); got != want {
				t.Errorf("loads = %d; want %d", got, want)
			}
			if s := c.Stats(); s.StaleServed != 1 {
				t.Errorf("Stats().StaleServed = %d; want 1", s.StaleServed)
			}
		})
	}
}

// TestGetStale_Stampede: while one call reloads a stale entry, every
// goroutine that calls GetStale gets the old value at once, and every one
// that calls Get waits; after the load, all get the new value.
// Run with -race -count=50.
func TestGetStale_Stampede(t *testing.T) {
	for _, by := range []string{"Get", "GetStale"} {
		t.Run("reload by "+by, func(t *testing.T) {
			const n = 8
			db := newVersions()
			f := reqcache.Cache1(Items, db.load, ItemID)
			ctx, c := reqcache.Scope(context.Background())
			defer c.Close()
			_, _ = f.Get(ctx, 1)
			db.write(1)
			f.MarkStale(ctx, 1)

			g := db.block(1)
			reload := make(chan item, 1)
			go func() {
				var v item
				if by == "Get" {
					v, _ = f.Get(ctx, 1)
				} else {
					v, _, _ = f.GetStale(ctx, 1) // no reload under way: this call reloads
				}
				reload <- v
			}()
			<-g.started

			waiting, restore := reqcache.OnWaiting()
			defer restore()
			type result struct {
				v     item
				fresh bool
			}
			stale, waiters := make(chan result, n), make(chan item, n)
			var wg sync.WaitGroup
			for range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					v, fresh, _ := f.GetStale(ctx, 1)
					stale <- result{v, fresh}
				}()
			}
			for range n {
				select {
				case r := <-stale:
					if r.v.Version != 0 || r.fresh {
						t.Errorf("GetStale during the reload = version %d, %v; want 0, false", r.v.Version, r.fresh)
					}
				case <-waiting:
					db.unblock(1, g)
					t.Fatalf("GetStale waits for the reload; want the stale value at once")
				}
			}
			for range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					v, _ := f.Get(ctx, 1)
					waiters <- v
				}()
			}
			for range n {
				<-waiting // each Get waits for the reload
			}
			db.unblock(1, g)
			wg.Wait()
			if v := <-reload; v.Version != 1 {
				t.Errorf("reload = version %d; want 1", v.Version)
			}
			for range n {
				if v := <-waiters; v.Version != 1 {
					t.Errorf("Get during the reload = version %d; want 1", v.Version)
				}
			}
			for range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					v, fresh, _ := f.GetStale(ctx, 1)
					stale <- result{v, fresh}
				}()
			}
			wg.Wait()
			for range n {
				if r := <-stale; r.v.Version != 1 || !r.fresh {
					t.Errorf("GetStale after the reload = version %d, %v; want 1, true", r.v.Version, r.fresh)
				}
			}
			if got := db.loads.Load(); got != 2 {
				t.Errorf("loads = %d; want 2", got)
			}
			if s := c.Stats(); s.StaleServed != n {
				t.Errorf("Stats().StaleServed = %d; want %d", s.StaleServed, n)
			}
		})
	}
}

// TestGetStale_Funcs checks GetStale and MarkStale of every arity.
func TestGetStale_Funcs(t *testing.T) {
	var version atomic.Int64
	load := func() (int64, error) { return version.Load(), nil }
	f0 := reqcache.Cache0(Items, func(context.Context) (int64, error) { return load() })
	f2 := reqcache.Cache2(Items, func(context.Context, int64, string) (int64, error) { return load() }, ItemID, Group)
	f3 := reqcache.Cache3(Items, func(context.Context, int64, string, int) (int64, error) { return load() }, ItemID, Group, Kind)
	tests := []struct {
		name     string
		getStale func(ctx context.Context) (int64, bool, error)
		mark     func(ctx context.Context) int
	}{
		{"Func0", func(ctx context.Context) (int64, bool, error) { return f0.GetStale(ctx) }, f0.MarkStale},
		{"Func2", func(ctx context.Context) (int64, bool, error) { return f2.GetStale(ctx, 1, "a") },
			func(ctx context.Context) int { return f2.MarkStale(ctx, 1, "a") }},
		{"Func3", func(ctx context.Context) (int64, bool, error) { return f3.GetStale(ctx, 1, "a", 2) },
			func(ctx context.Context) int { return f3.MarkStale(ctx, 1, "a", 2) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			version.Store(0)
			ctx, c := reqcache.Scope(context.Background())
			defer c.Close()
			if v, fresh, err := tt.getStale(ctx); v != 0 || !fresh || err != nil {
				t.Fatalf("GetStale = %d, %v, %v; want 0, true, nil", v, fresh, err)
			}
			version.Store(1)
			if n := tt.mark(ctx); n != 1 {
				t.Errorf("MarkStale = %d; want 1", n)
			}
			// No reload under way: GetStale reloads, on its own goroutine.
			if v, fresh, err := tt.getStale(ctx); v != 1 || !fresh || err != nil {
				t.Errorf("GetStale after MarkStale = %d, %v, %v; want 1, true, nil", v, fresh, err)
			}
			if s := c.Stats(); s.Loads != 2 || s.Hits != 0 || s.Misses != 2 {
				t.Errorf("Stats() = %+v; want 2 loads, 2 misses", s)
			}
		})
	}
}

// TestGetStale_WithoutCache: without a cache, or with a closed one,
// GetStale is a plain call, and fresh.
func TestGetStale_WithoutCache(t *testing.T) {
	db := newVersions()
	f := reqcache.Cache1(Items, db.load, ItemID)
	closed, c := reqcache.Scope(context.Background())
	c.Close()
	for name, ctx := range map[string]context.Context{"no cache": context.Background(), "closed": closed} {
		if v, fresh, err := f.GetStale(ctx, 1); v.ID != 1 || !fresh || err != nil {
			t.Errorf("%s: GetStale = %v, %v, %v; want item 1, true, nil", name, v, fresh, err)
		}
		if n := f.MarkStale(ctx, 1); n != 0 {
			t.Errorf("%s: MarkStale = %d; want 0", name, n)
		}
		if n, err := reqcache.MarkStale(ctx, Items.Tag(1)); n != 0 || err != nil {
			t.Errorf("%s: reqcache.MarkStale = %d, %v; want 0, nil", name, n, err)
		}
	}
}

// TestMarkStale_BadTarget: a zero target is an error, and marks nothing.
func TestMarkStale_BadTarget(t *testing.T) {
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	for _, target := range []region.Target{nil, region.Tag{}} {
		if _, err := reqcache.MarkStale(ctx, Items.Tag(1), target); err == nil {
			t.Errorf("MarkStale(%v) = nil error; want one", target)
		}
	}
}
