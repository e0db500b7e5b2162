package reqcache_test

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// staleNested is an outer method whose loader calls an inner one.
type staleNested struct {
	db           *versions
	inner, outer *reqcache.Func1[int64, item]
	outerLoads   int64
}

func newStaleNested() *staleNested {
	n := &staleNested{db: newVersions()}
	n.inner = reqcache.Cache1(Items, n.db.load, ItemID, reqcache.IDFromParam(ItemID), reqcache.Name("inner"))
	n.outer = reqcache.Cache1(Orders, func(ctx context.Context, id int64) (item, error) {
		n.outerLoads++
		return n.inner.Get(ctx, id)
	}, OrderID, reqcache.Name("outer"))
	return n
}

// TestMarkStale_Dependents: marking an inner entry stale marks the entries
// that depend on it stale too; Get reloads both, GetStale of the outer
// entry answers with its old value while its reload is under way.
func TestMarkStale_Dependents(t *testing.T) {
	n := newStaleNested()
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	_, _ = n.outer.Get(ctx, 1)
	n.db.write(1)
	if got := n.inner.MarkStale(ctx, 1); got != 2 {
		t.Errorf("MarkStale(inner) = %d; want 2 (inner and outer)", got)
	}
	if _, ok := n.outer.Peek(ctx, 1); ok {
		t.Errorf("Peek(outer) after MarkStale(inner) = true; want false")
	}

	g := n.db.block(1)
	reloaded := make(chan item, 1)
	go func() {
		v, _ := n.outer.Get(ctx, 1)
		reloaded <- v
	}()
	<-g.started // the outer reload waits in the inner reload
	if v, fresh, _ := n.outer.GetStale(ctx, 1); v.Version != 0 || fresh {
		t.Errorf("GetStale(outer) during the reload = version %d, %v; want 0, false", v.Version, fresh)
	}
	if v, fresh, _ := n.inner.GetStale(ctx, 1); v.Version != 0 || fresh {
		t.Errorf("GetStale(inner) during the reload = version %d, %v; want 0, false", v.Version, fresh)
	}
	n.db.unblock(1, g)
	if v := <-reloaded; v.Version != 1 {
		t.Errorf("Get(outer) = version %d; want 1", v.Version)
	}
	if n.outerLoads != 2 || n.db.loads.Load() != 2 {
		t.Errorf("loads = outer %d, inner %d; want 2, 2", n.outerLoads, n.db.loads.Load())
	}
	// The reloaded outer entry depends on the reloaded inner one.
	if got := n.inner.Invalidate(ctx, 1); got != 2 {
		t.Errorf("Invalidate(inner) after the reloads = %d; want 2", got)
	}
}

// TestMarkStale_HardInvalidationDuringReload: a hard invalidation of an
// entry whose reload is under way removes the stale entries that depended
// on the entry it replaces, and GetStale no longer answers with the old
// value.
func TestMarkStale_HardInvalidationDuringReload(t *testing.T) {
	n := newStaleNested()
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	_, _ = n.outer.Get(ctx, 1)
	n.inner.MarkStale(ctx, 1)

	g := n.db.block(1)
	reloaded := make(chan item, 1)
	go func() {
		v, _ := n.inner.Get(ctx, 1)
		reloaded <- v
	}()
	<-g.started
	if s := c.Stats(); s.Entries != 2 {
		t.Fatalf("Stats().Entries during the reload = %d; want 2 (the reload and the stale outer entry)", s.Entries)
	}
	invalidate.ID(ctx, Items, 1)
	if s := c.Stats(); s.Entries != 0 {
		t.Errorf("Stats().Entries after invalidate.ID = %d; want 0", s.Entries)
	}
	n.db.unblock(1, g)
	<-reloaded
	if _, ok := n.inner.Peek(ctx, 1); ok {
		t.Errorf("Peek(inner) after a reload that an invalidation beat = true; want false")
	}
}

// TestMarkStale_BeatsLoadUnderWay: a load under way that a soft
// invalidation selects is not stored: its callers get its result, and a
// Get after MarkStale loads again.
func TestMarkStale_BeatsLoadUnderWay(t *testing.T) {
	tests := []struct {
		name string
		mark func(ctx context.Context, f *reqcache.Func1[int64, item]) int
	}{
		{"exact call", func(ctx context.Context, f *reqcache.Func1[int64, item]) int { return f.MarkStale(ctx, 1) }},
		{"ID", func(ctx context.Context, _ *reqcache.Func1[int64, item]) int {
			n, _ := reqcache.MarkStale(ctx, Items.Tag(1))
			return n
		}},
		{"parameter", func(ctx context.Context, _ *reqcache.Func1[int64, item]) int {
			n, _ := reqcache.MarkStale(ctx, Items.Where(ItemID.Is(1)))
			return n
		}},
		{"region", func(ctx context.Context, _ *reqcache.Func1[int64, item]) int {
			n, _ := reqcache.MarkStale(ctx, Items.Where())
			return n
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newVersions()
			f := reqcache.Cache1(Items, db.load, ItemID, reqcache.IDFromParam(ItemID))
			ctx, c := reqcache.Scope(context.Background())
			defer c.Close()
			g := db.block(1)
			loaded := make(chan item, 1)
			go func() {
				v, _ := f.Get(ctx, 1)
				loaded <- v
			}()
			<-g.started
			if n := tt.mark(ctx, f); n != 1 {
				t.Errorf("MarkStale during the load = %d; want 1", n)
			}
			db.unblock(1, g)
			if v := <-loaded; v.Version != 0 {
				t.Errorf("Get = version %d; want 0", v.Version)
			}
			db.write(1)
			if v, _ := f.Get(ctx, 1); v.Version != 1 {
				t.Errorf("Get after MarkStale = version %d; want 1 (loaded again)", v.Version)
			}
			if s := c.Stats(); s.Invalidated != 1 || s.Loads != 2 {
				t.Errorf("Stats() = %+v; want Invalidated 1, Loads 2", s)
			}
		})
	}
}

// TestMarkStale_Transaction: inside a transaction, MarkStale marks at once
// and again at commit, as Invalidate removes; a rollback applies nothing
// again.
func TestMarkStale_Transaction(t *testing.T) {
	for _, commit := range []bool{true, false} {
		name := map[bool]string{true: "commit", false: "rollback"}[commit]
		t.Run(name, func(t *testing.T) {
			db := newVersions()
			f := reqcache.Cache1(Items, db.load, ItemID, reqcache.IDFromParam(ItemID))
			ctx, c := reqcache.Scope(context.Background())
			defer c.Close()
			_, _ = f.Get(ctx, 1)
			txCtx, tx := reqcache.Begin(ctx)
			if n, _ := reqcache.MarkStale(txCtx, Items.Tag(1)); n != 1 {
				t.Errorf("MarkStale in the transaction = %d; want 1", n)
			}
			if _, ok := f.Peek(ctx, 1); ok {
				t.Errorf("Peek after MarkStale in a transaction = true; want false (marked at once)")
			}
			_, _ = f.Get(ctx, 1) // another connection loads before the commit
			var err error
			if commit {
				err = tx.Commit()
			} else {
				err = tx.Rollback()
			}
			if err != nil {
				t.Fatalf("%s = %v", name, err)
			}
			_, ok := f.Peek(ctx, 1)
			if ok == commit {
				t.Errorf("Peek after %s = %v; want %v", name, ok, !commit)
			}
			if commit {
				if v, fresh, _ := f.GetStale(ctx, 1); !fresh || db.loads.Load() != 3 {
					t.Errorf("GetStale after the commit = %v, fresh %v, %d loads; want a reload", v, fresh, db.loads.Load())
				}
			}
		})
	}
}

// TestMarkStale_Reported: OnInvalidate sees a soft invalidation as such,
// with the entries it marked.
func TestMarkStale_Reported(t *testing.T) {
	n := newStaleNested()
	var got []reqcache.Invalidation
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{
		OnInvalidate: func(inv reqcache.Invalidation) { got = append(got, inv) },
	})
	defer c.Close()
	_, _ = n.outer.Get(ctx, 1)
	_, _ = reqcache.MarkStale(ctx, Items.Tag(1))
	if len(got) != 1 || !got[0].Stale || got[0].Kind != "id" || len(got[0].Removed) != 2 {
		t.Fatalf("OnInvalidate got %+v; want one soft invalidation of kind id marking 2 entries", got)
	}
	invalidate.ID(ctx, Items, 1)
	if len(got) != 2 || got[1].Stale {
		t.Errorf("OnInvalidate after invalidate.ID got %+v; want a hard invalidation", got[1:])
	}
}

// TestMarkStale_Explain: a reload of a stale entry is explained by the
// soft invalidation, and one of an expired entry by its expiry.
func TestMarkStale_Explain(t *testing.T) {
	db := newVersions()
	f := reqcache.Cache1(Items, db.load, ItemID, reqcache.IDFromParam(ItemID), reqcache.Name("byID"))
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{Explain: true})
	defer c.Close()
	_, _ = f.Get(ctx, 1)
	_, _ = reqcache.MarkStale(ctx, Items.Tag(1))
	_, _, _ = f.GetStale(ctx, 1)
	misses := c.Explain()
	if len(misses) != 2 || misses[1].Reason != "invalidated by id item:1" {
		t.Errorf("Explain() = %+v; want the second miss invalidated by id item:1", misses)
	}
}

// TestGetStale_NothingStaysReachable: after Close, and after the reload
// under way at Close ends, no value the cache held stays reachable: not
// the stale entries, in a method's table or in its shared store, nor the
// stale value the reload kept for GetStale.
func TestGetStale_NothingStaysReachable(t *testing.T) {
	g := newGate()
	var ps payloads
	var reloading atomic.Bool
	f := reqcache.Cache1(Items, func(_ context.Context, id int64) (*payload, error) {
		if reloading.Load() {
			g.wait()
		}
		return ps.make(), nil
	}, ItemID)

	ctx, c := reqcache.Scope(context.Background())
	for id := range int64(20) { // more than a table holds: some in the shared store
		_, _ = f.Get(ctx, id)
	}
	_, _ = reqcache.MarkStale(ctx, region.Everything)
	reloading.Store(true)
	done := make(chan struct{})
	go func() {
		_, _ = f.Get(ctx, 1)
		close(done)
	}()
	<-g.started
	if _, fresh, _ := f.GetStale(ctx, 1); fresh {
		t.Fatalf("GetStale during the reload: fresh = true; want the stale value")
	}
	c.Close()
	close(g.open)
	<-done
	ps.checkCollected(t)
	runtime.KeepAlive(ctx)
}

// TestMarkStale_Eviction: stale entries count against MaxEntries and are
// evicted as other entries are; the cache stays within its bound.
func TestMarkStale_Eviction(t *testing.T) {
	db := newVersions()
	f := reqcache.Cache1(Items, db.load, ItemID)
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{MaxEntries: 4})
	defer c.Close()
	for id := range int64(20) {
		_, _ = f.Get(ctx, id)
		f.MarkStale(ctx, id)
		_, _, _ = f.GetStale(ctx, id) // reloads, on this goroutine
		if s := c.Stats(); s.Entries > 4 {
			t.Fatalf("Stats().Entries = %d; want at most 4", s.Entries)
		}
	}
	if s := c.Stats(); s.Loads != 40 || s.Evicted != 16 {
		t.Errorf("Stats() = %+v; want 40 loads, 16 evicted", s)
	}
}

// TestMarkStale_LongScopeBoundedHeap: a long scope that marks entries
// stale and reloads them, staleNested, holds memory for its live entries only.
func TestMarkStale_LongScopeBoundedHeap(t *testing.T) {
	n := newStaleNested()
	s := longScope{"staleNested MarkStale+reload", func(ctx context.Context, i int64) error {
		k := i % 2
		if _, err := n.outer.Get(ctx, k); err != nil {
			return err
		}
		n.inner.MarkStale(ctx, k)
		_, _, err := n.outer.GetStale(ctx, k)
		return err
	}}
	const rounds, limit = 100_000, 1 << 20
	growth, entries, err := runLongScope(s, rounds)
	if err != nil {
		t.Fatalf("round error = %v", err)
	}
	if growth >= limit {
		t.Errorf("heap growth over %d rounds = %d bytes; want < %d", rounds, growth, limit)
	}
	if entries > 4 {
		t.Errorf("Stats().Entries = %d; want at most 4", entries)
	}
}
