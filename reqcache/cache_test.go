package reqcache_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"weak"

	"github.com/google/uuid"
	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/reqcache"
)

// TestID_Concurrent checks that goroutines asking a new cache for its ID
// at once all get the same one.
func TestID_Concurrent(t *testing.T) {
	_, c := reqcache.Scope(context.Background())
	defer c.Close()
	ids := make([]uuid.UUID, 8)
	var wg sync.WaitGroup
	for i := range ids {
		spawn(&wg, func() { ids[i] = c.ID() })
	}
	wg.Wait()
	for i, id := range ids {
		if id == uuid.Nil || id != c.ID() {
			t.Errorf("ID() on goroutine %d = %v; want %v", i, id, c.ID())
		}
	}
}

func TestScope(t *testing.T) {
	if c := reqcache.FromContext(context.Background()); c != nil {
		t.Errorf("FromContext(Background()) = %v; want nil", c)
	}
	ctx, c := reqcache.Scope(context.Background())
	if got := reqcache.FromContext(ctx); got != c {
		t.Errorf("FromContext(scope) = %p; want %p", got, c)
	}
	type key struct{}
	derived := context.WithValue(ctx, key{}, 1)
	if got := reqcache.FromContext(derived); got != c {
		t.Errorf("FromContext(derived) = %p; want %p", got, c)
	}
	if id := c.ID(); id == uuid.Nil || id != c.ID() {
		t.Errorf("ID() = %v, then %v; want one non-nil UUID", id, c.ID())
	}
	_, other := reqcache.Scope(context.Background())
	if c.ID() == other.ID() {
		t.Errorf("two caches share ID %v", c.ID())
	}
	if c.Closed() {
		t.Errorf("Closed() = true before Close")
	}
	c.Close()
	c.Close()
	if !c.Closed() {
		t.Errorf("Closed() = false after Close")
	}
	var nilCache *reqcache.Cache
	nilCache.Close()
	if !nilCache.Closed() || nilCache.ID() != uuid.Nil || nilCache.Stats() != (reqcache.Stats{}) {
		t.Errorf("nil Cache: Closed, ID or Stats not the zero answer")
	}
	if n, err := reqcache.Invalidate(context.Background(), Items.Tag(1)); n != 0 || err != nil {
		t.Errorf("nil Cache: Invalidate = %d, %v; want 0, nil", n, err)
	}
}

// TestIsolation runs many requests at once over the same methods and keys;
// each must see only the values loaded for it.
func TestIsolation(t *testing.T) {
	type key struct{}
	byID := reqcache.Cache1(Items, func(ctx context.Context, id int64) (item, error) {
		return item{ID: id, Version: ctx.Value(key{}).(int64)}, nil
	}, ItemID, reqcache.IDFromParam(ItemID))

	var wg sync.WaitGroup
	for req := range int64(32) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, c := reqcache.Scope(context.WithValue(context.Background(), key{}, req))
			defer c.Close()
			for i := range 200 {
				id := int64(i % 7)
				got, err := byID.Get(ctx, id)
				if err != nil || got.Version != req {
					t.Errorf("request %d: Get(%d) = %+v, %v; want version %d", req, id, got, err, req)
					return
				}
				if i%50 == 0 {
					invalidate.ID(ctx, Items, id)
				}
			}
			if s := c.Stats(); s.Hits+s.Misses != 200 {
				t.Errorf("request %d: Stats() = %+v; want 200 calls", req, s)
			}
		}()
	}
	wg.Wait()
}

// TestClosed_OutlivingGoroutine checks a goroutine that keeps calling
// through its request's context after the request ended, while the next
// request runs: it must neither see nor change the next request's data.
func TestClosed_OutlivingGoroutine(t *testing.T) {
	type key struct{}
	fn, loads := counted(func(id int64) (int64, error) { return id, nil })
	byID := reqcache.Cache1(Items, func(ctx context.Context, id int64) (int64, error) {
		v, err := fn(ctx, id)
		return v + 1000*ctx.Value(key{}).(int64), err
	}, ItemID, reqcache.IDFromParam(ItemID))

	oldCtx, old := reqcache.Scope(context.WithValue(context.Background(), key{}, int64(1)))
	if v, _ := byID.Get(oldCtx, 5); v != 1005 {
		t.Fatalf("Get(5) = %v; want 1005", v)
	}
	old.Close()

	newCtx, next := reqcache.Scope(context.WithValue(context.Background(), key{}, int64(2)))
	defer next.Close()
	if v, _ := byID.Get(newCtx, 5); v != 2005 {
		t.Fatalf("next request: Get(5) = %v; want 2005", v)
	}

	before := loads.Load()
	for range 3 {
		if v, err := byID.Get(oldCtx, 5); err != nil || v != 1005 {
			t.Errorf("outliving goroutine: Get(5) = %v, %v; want 1005 from a plain call", v, err)
		}
		byID.Prime(oldCtx, 6, 1)
		invalidate.ID(oldCtx, Items, 5)
		invalidate.All(oldCtx)
	}
	if got := loads.Load() - before; got != 3 {
		t.Errorf("outliving goroutine loads = %d; want 3: a closed cache stores nothing", got)
	}
	if v, ok := byID.Peek(newCtx, 5); !ok || v != 2005 {
		t.Errorf("next request: Peek(5) = %v, %v; want 2005, true", v, ok)
	}
	if _, ok := byID.Peek(newCtx, 6); ok {
		t.Errorf("next request: Peek(6) = _, true; want the old request's Prime not visible")
	}
	if s := old.Stats(); s.Entries != 0 || s.Loads != 1 {
		t.Errorf("old Stats() = %+v; want 0 entries, 1 load", s)
	}
}

// payload is a value whose reachability the tests watch.
type payload struct {
	data [64]byte
}

// payloads makes payloads and keeps a weak pointer to each, so that a test
// can check that none stays reachable once its cache is closed.
type payloads struct {
	mu   sync.Mutex
	ptrs []weak.Pointer[payload]
}

// make returns a new payload, and watches it.
func (ps *payloads) make() *payload {
	p := &payload{}
	ps.mu.Lock()
	ps.ptrs = append(ps.ptrs, weak.Make(p))
	ps.mu.Unlock()
	return p
}

// made returns how many payloads ps made.
func (ps *payloads) made() int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return len(ps.ptrs)
}

// checkCollected collects garbage, and fails t if any payload survived.
func (ps *payloads) checkCollected(t *testing.T) {
	t.Helper()
	runtime.GC()
	runtime.GC()
	ps.mu.Lock()
	defer ps.mu.Unlock()
	reachable := 0
	for _, p := range ps.ptrs {
		if p.Value() != nil {
			reachable++
		}
	}
	if reachable != 0 {
		t.Errorf("%d of %d values reachable after Close; want 0", reachable, len(ps.ptrs))
	}
}

// TestClose_NothingStaysReachable keeps the request's context, as a
// goroutine that outlived the request would, and checks that no value the
// request cached survives a collection.
func TestClose_NothingStaysReachable(t *testing.T) {
	var ps payloads
	byID := reqcache.Cache1(Items, func(_ context.Context, id int64) (*payload, error) {
		return ps.make(), nil
	}, ItemID, reqcache.IDFromParam(ItemID))
	batch := reqcache.CacheBatch(Orders, func(_ context.Context, ids []int64) (map[int64]*payload, error) {
		m := map[int64]*payload{}
		for _, id := range ids {
			m[id] = ps.make()
		}
		return m, nil
	})

	ctx, c := reqcache.Scope(context.Background())
	for id := range int64(20) {
		_, _ = byID.Get(ctx, id)
	}
	_, _ = batch.Get(ctx, []int64{1, 2, 3})
	invalidate.ID(ctx, Items, 3) // builds the indexes, which must go too
	c.Close()
	ps.checkCollected(t)
	runtime.KeepAlive(ctx)
}

func TestMaxEntries(t *testing.T) {
	tests := []struct {
		max         int
		wantEntries int64
		wantEvicted int64
		wantLoads   int64
	}{
		{max: 0, wantEntries: 50, wantLoads: 50},
		{max: -1, wantEntries: 50, wantLoads: 50},
		// Every key is evicted before it is asked again.
		{max: 10, wantEntries: 10, wantEvicted: 90, wantLoads: 100},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.max), func(t *testing.T) {
			fn, loads := counted(func(id int64) (int64, error) { return id, nil })
			byID := reqcache.Cache1(Items, fn, ItemID)
			ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{MaxEntries: tt.max})
			defer c.Close()
			for range 2 {
				for id := range int64(50) {
					if v, err := byID.Get(ctx, id); err != nil || v != id {
						t.Fatalf("Get(%d) = %v, %v; want %d", id, v, err, id)
					}
				}
			}
			s := c.Stats()
			if s.Entries != tt.wantEntries || s.Evicted != tt.wantEvicted {
				t.Errorf("Stats() = %+v; want %d entries, %d evicted", s, tt.wantEntries, tt.wantEvicted)
			}
			if loads.Load() != tt.wantLoads {
				t.Errorf("loads = %d; want %d", loads.Load(), tt.wantLoads)
			}
			if !byID.Prime(ctx, 1, 1) {
				t.Errorf("Prime in a full cache = false; want true")
			}
		})
	}
}

func TestStatsByRegion(t *testing.T) {
	f := newFixture(t, reqcache.Options{})
	_, _ = f.byID.Get(f.ctx, 1)
	invalidate.ID(f.ctx, Items, 2) // byID(2), byGroup(g0), pair(2, g0), orders(2)
	got := f.c.StatsByRegion()
	want := map[string]reqcache.Stats{
		"item":  {Hits: 1, Misses: 7, Loads: 7, Invalidated: 3, Entries: 4},
		"order": {Misses: 2, Loads: 2, Invalidated: 1, Entries: 1},
	}
	if len(got) != len(want) || got["item"] != want["item"] || got["order"] != want["order"] {
		t.Errorf("StatsByRegion() = %+v; want %+v", got, want)
	}
}
