package reqcache_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// recordingBatch returns a batch function of items that records the keys of
// each call.
func recordingBatch() (func(context.Context, []int64) (map[int64]item, error), func() [][]int64) {
	var mu sync.Mutex
	var calls [][]int64
	return func(_ context.Context, ids []int64) (map[int64]item, error) {
			mu.Lock()
			calls = append(calls, slices.Sorted(slices.Values(ids)))
			mu.Unlock()
			m := make(map[int64]item, len(ids))
			for _, id := range ids {
				m[id], _ = itemOf(id)
			}
			return m, nil
		}, func() [][]int64 {
			mu.Lock()
			defer mu.Unlock()
			return slices.Clone(calls)
		}
}

// TestIssue7_6_BatchSharesFunc1Entries reads keys through a batch made with
// Func1.Batch and through the Func1 itself. On 341d319 batch and single-key
// methods kept separate entries, so byID.Get(2) after a batch read of
// {1, 2, 3} loaded again (and there was no Func1.Batch to declare them).
func TestIssue7_6_BatchSharesFunc1Entries(t *testing.T) {
	fn, loads := counted(itemOf)
	byID := reqcache.Cache1(Items, fn, ItemID, reqcache.IDFromParam(ItemID), reqcache.Name("share-byID"))
	batchFn, calls := recordingBatch()
	byIDs := byID.Batch(batchFn)
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()

	if m, err := byIDs.Get(ctx, []int64{1, 2, 3}); err != nil || len(m) != 3 {
		t.Fatalf("batch Get(1, 2, 3) = %v, %v; want 3 items", m, err)
	}
	if v, err := byID.Get(ctx, 2); err != nil || v.ID != 2 || loads.Load() != 0 {
		t.Errorf("Get(2) after the batch = %v, %v with %d loads; want item 2 with 0 loads", v, err, loads.Load())
	}
	if _, err := byID.Get(ctx, 4); err != nil || loads.Load() != 1 {
		t.Fatalf("Get(4) = _, %v with %d loads; want 1 load", err, loads.Load())
	}
	if m, err := byIDs.Get(ctx, []int64{4, 5}); err != nil || m[4].ID != 4 || m[5].ID != 5 {
		t.Fatalf("batch Get(4, 5) = %v, %v; want items 4 and 5", m, err)
	}
	if got, want := calls(), [][]int64{{1, 2, 3}, {5}}; !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("batch calls = %v; want %v", got, want)
	}
}

// TestIssue7_6_BatchKeyParam declares a CacheBatch method's keys as a
// parameter: Match(itemID=1) removes key 1's entry only. On 341d319 a batch
// key could not be declared as a parameter, and the match removed every
// batch entry of the region.
func TestIssue7_6_BatchKeyParam(t *testing.T) {
	batchFn, _ := recordingBatch()
	byIDs := reqcache.CacheBatch(Items, batchFn, reqcache.KeyParam(ItemID), reqcache.Name("share-keyparam"))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	if _, err := byIDs.Get(ctx, []int64{1, 2, 3}); err != nil {
		t.Fatalf("batch Get error = %v", err)
	}
	if n, err := invalidate.Match(ctx, Items, ItemID.Is(1)); err != nil || n != 1 {
		t.Errorf("Match(itemID=1) = %d, %v; want 1", n, err)
	}
	for id, want := range map[int64]bool{1: false, 2: true, 3: true} {
		if _, ok := byIDs.Peek(ctx, id); ok != want {
			t.Errorf("Peek(%d) after Match(itemID=1) = %v; want %v", id, ok, want)
		}
	}
}

// TestIssue7_7_RegionClearsTaggedEntries clears the item region: the orders
// tagged with an item go too, with the entries that depend on them, while
// an order tagged with nothing stays. On 341d319 a region clear stopped at
// the region, leaving the tagged orders.
func TestIssue7_7_RegionClearsTaggedEntries(t *testing.T) {
	byItem := reqcache.Cache1(Items, ctxItemOf, ItemID, reqcache.IDFromParam(ItemID), reqcache.Name("region-item"))
	orderByID := reqcache.Cache1(Orders, func(_ context.Context, id int64) (order, error) {
		if id == 0 {
			return order{ID: 0}, nil // an order of no item
		}
		return order{ID: id, ItemID: id * 10}, nil
	}, OrderID, reqcache.IDFromParam(OrderID), reqcache.Name("region-order"),
		reqcache.TagsFromResult(func(o order) []region.Tag {
			if o.ItemID == 0 {
				return nil
			}
			return []region.Tag{Items.Tag(o.ItemID)}
		}))
	summary := reqcache.Cache1(Orders, func(ctx context.Context, id int64) (string, error) {
		o, err := orderByID.Get(ctx, id)
		return fmt.Sprint("order of item ", o.ItemID), err
	}, OrderID, reqcache.Name("region-summary"))
	_ = byItem
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	for id := range int64(3) {
		if _, err := orderByID.Get(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := byItem.Get(ctx, 10); err != nil {
		t.Fatal(err)
	}
	if _, err := summary.Get(ctx, 1); err != nil {
		t.Fatal(err)
	}

	n := invalidate.Region(ctx, Items)
	if n != 4 { // the item, orders 1 and 2, order 1's summary
		t.Errorf("invalidate.Region(Items) = %d; want 4", n)
	}
	for id, want := range map[int64]bool{0: true, 1: false, 2: false} {
		if _, ok := orderByID.Peek(ctx, id); ok != want {
			t.Errorf("order Peek(%d) after invalidate.Region(Items) = %v; want %v", id, ok, want)
		}
	}
	if _, ok := summary.Peek(ctx, 1); ok {
		t.Errorf("summary Peek(1) after invalidate.Region(Items) = true; want false: it depends on order 1")
	}
}

// TestIssue7_8_PeekInLoaderRecordsDependency peeks at an inner entry inside
// an outer load. On 341d319 Peek recorded no dependency, so the outer value
// stayed after the inner one was invalidated.
func TestIssue7_8_PeekInLoaderRecordsDependency(t *testing.T) {
	inner := reqcache.Cache1(Items, ctxItemOf, ItemID, reqcache.IDFromParam(ItemID), reqcache.Name("peek-inner"))
	outer := reqcache.Cache1(Orders, func(ctx context.Context, id int64) (bool, error) {
		_, ok := inner.Peek(ctx, id)
		return ok, nil
	}, OrderID, reqcache.Name("peek-outer"))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	if _, err := inner.Get(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if v, err := outer.Get(ctx, 1); err != nil || !v {
		t.Fatalf("outer Get(1) = %v, %v; want true", v, err)
	}
	if n := invalidate.ID(ctx, Items, 1); n != 2 {
		t.Errorf("invalidate.ID(1) = %d; want 2 (inner and the outer that peeked at it)", n)
	}
	if _, ok := outer.Peek(ctx, 1); ok {
		t.Errorf("outer Peek(1) after invalidating inner = true; want false")
	}
}

func ctxItemOf(_ context.Context, id int64) (item, error) { return itemOf(id) }

var errNoItem = errors.New("no such item")

// TestIssue7_8_StoredErrorMatchesEveryID stores a not-found error of a
// method whose ID comes from its result: invalidate.ID of any item removes
// it. On 341d319 the error entry had no ID, so "not found, then created"
// kept answering not found.
func TestIssue7_8_StoredErrorMatchesEveryID(t *testing.T) {
	found := false
	fn, loads := counted(func(name string) (item, error) {
		if !found {
			return item{}, errNoItem
		}
		return item{ID: 9, Group: name}, nil
	})
	byName := reqcache.Cache1(Items, fn, Label, reqcache.Name("err-byName"),
		reqcache.IDFromResult(func(it item) int64 { return it.ID }),
		reqcache.CacheErrors(func(err error) bool { return errors.Is(err, errNoItem) }))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	for range 2 {
		if _, err := byName.Get(ctx, "x"); !errors.Is(err, errNoItem) {
			t.Fatalf("Get(x) error = %v; want errNoItem", err)
		}
	}
	if loads.Load() != 1 {
		t.Fatalf("loads = %d; want 1: the error is stored", loads.Load())
	}
	found = true
	if n := invalidate.ID(ctx, Items, 9); n != 1 {
		t.Errorf("invalidate.ID(9) = %d; want 1 (the stored error)", n)
	}
	if v, err := byName.Get(ctx, "x"); err != nil || v.ID != 9 {
		t.Errorf("Get(x) after the create = %v, %v; want item 9", v, err)
	}
}

// TestIssue7_8_LoadsCountBatchCalls reads three keys in one batch call. On
// 341d319 Stats.Loads counted 3.
func TestIssue7_8_LoadsCountBatchCalls(t *testing.T) {
	batchFn, _ := recordingBatch()
	byIDs := reqcache.CacheBatch(Items, batchFn, reqcache.Name("loads-batch"))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	if _, err := byIDs.Get(ctx, []int64{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	if s := c.Stats(); s.Loads != 1 || s.Entries != 3 {
		t.Errorf("Stats() after one batch call of 3 keys = %+v; want 1 load, 3 entries", s)
	}
}

// TestIssue7_8_OnInvalidateWithoutReads invalidates in a cache never read.
// On 341d319 OnInvalidate was silent then, since the cache had no state.
func TestIssue7_8_OnInvalidateWithoutReads(t *testing.T) {
	var got []reqcache.Invalidation
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{
		OnInvalidate: func(inv reqcache.Invalidation) { got = append(got, inv) },
	})
	defer c.Close()
	invalidate.ID(ctx, Items, 1)
	if _, err := invalidate.Match(ctx, Items, Group.Is("Smith")); err != nil {
		t.Fatal(err)
	}
	invalidate.Region(ctx, Orders)
	if len(got) != 3 {
		t.Fatalf("OnInvalidate calls = %v; want 3", got)
	}
	for i, kind := range []string{"id", "match", "region"} {
		if got[i].Kind != kind || len(got[i].Removed) != 0 {
			t.Errorf("OnInvalidate call %d = %+v; want kind %q, nothing removed", i, got[i], kind)
		}
	}
}
