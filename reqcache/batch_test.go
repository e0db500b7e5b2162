package reqcache_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"testing"

	"github.com/reqcache/reqcache/reqcache"
)

// batchDB serves items 1..9 and records the keys of every call.
type batchDB struct {
	mu    sync.Mutex
	calls [][]int64
	fail  error
	gate  *gate
}

func (db *batchDB) get(_ context.Context, ids []int64) (map[int64]item, error) {
	db.mu.Lock()
	db.calls = append(db.calls, slices.Sorted(slices.Values(ids)))
	fail, g := db.fail, db.gate
	db.mu.Unlock()
	if g != nil {
		g.wait()
	}
	if fail != nil {
		return nil, fail
	}
	m := map[int64]item{}
	for _, id := range ids {
		if id >= 1 && id <= 9 {
			m[id] = item{ID: id}
		}
	}
	return m, nil
}

func TestBatch_LoadsOnlyMissingKeys(t *testing.T) {
	db := &batchDB{}
	b := reqcache.CacheBatch(Items, db.get)
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()

	tests := []struct {
		keys      []int64
		want      []int64 // keys of the result
		wantQuery []int64 // keys of the batch call, nil for none
	}{
		{[]int64{1, 2, 3}, []int64{1, 2, 3}, []int64{1, 2, 3}},
		{[]int64{2, 3, 4, 4, 42}, []int64{2, 3, 4}, []int64{4, 42}},
		{[]int64{42, 1}, []int64{1}, nil}, // 42 is stored as absent
		{nil, nil, nil},
	}
	for _, tt := range tests {
		db.calls = nil
		got, err := b.Get(ctx, tt.keys)
		if err != nil || !slices.Equal(slices.Sorted(maps.Keys(got)), tt.want) {
			t.Errorf("Get(%v) = %v, %v; want keys %v", tt.keys, got, err, tt.want)
		}
		var query []int64
		if len(db.calls) > 0 {
			query = db.calls[0]
		}
		if len(db.calls) > 1 || !slices.Equal(query, tt.wantQuery) {
			t.Errorf("Get(%v) called the batch function with %v; want %v", tt.keys, db.calls, tt.wantQuery)
		}
	}
	if _, err := b.GetOne(ctx, 42); !errors.Is(err, reqcache.ErrNotFound) {
		t.Errorf("GetOne(42) error = %v; want ErrNotFound", err)
	}
	if v, err := b.GetOne(ctx, 2); err != nil || v.ID != 2 {
		t.Errorf("GetOne(2) = %v, %v; want item 2", v, err)
	}
}

func TestBatch_ErrorStoresNothing(t *testing.T) {
	db := &batchDB{fail: errBoom}
	b := reqcache.CacheBatch(Items, db.get)
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()

	if got, err := b.Get(ctx, []int64{1, 2}); !errors.Is(err, errBoom) || got != nil {
		t.Errorf("Get(1, 2) = %v, %v; want nil, %v", got, err, errBoom)
	}
	db.fail = nil
	if got, err := b.Get(ctx, []int64{1, 2}); err != nil || len(got) != 2 {
		t.Errorf("Get(1, 2) after the failure = %v, %v; want both items", got, err)
	}
	if len(db.calls) != 2 {
		t.Errorf("batch calls = %v; want 2", db.calls)
	}
}

func TestBatch_ConcurrentCallsShareLoads(t *testing.T) {
	db := &batchDB{gate: newGate()}
	b := reqcache.CacheBatch(Items, db.get)
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	waiting, restore := reqcache.OnWaiting()
	defer restore()

	first := make(chan map[int64]item)
	go func() { m, _ := b.Get(ctx, []int64{1, 2}); first <- m }()
	<-db.gate.started
	second := make(chan map[int64]item)
	go func() { m, _ := b.Get(ctx, []int64{2, 3}); second <- m }()
	<-db.gate.started // the second call loads 3 only...
	close(db.gate.open)
	<-waiting // ...and waits for 2, whatever the order of the wake-ups
	if m := <-first; len(m) != 2 {
		t.Errorf("first Get = %v; want items 1 and 2", m)
	}
	if m := <-second; len(m) != 2 || m[2].ID != 2 || m[3].ID != 3 {
		t.Errorf("second Get = %v; want items 2 and 3", m)
	}
	want := [][]int64{{1, 2}, {3}}
	if !slices.EqualFunc(db.calls, want, slices.Equal) {
		t.Errorf("batch calls = %v; want %v", db.calls, want)
	}
}

func TestBatch_InvalidateRefreshPrimePeekClear(t *testing.T) {
	db := &batchDB{}
	b := reqcache.CacheBatch(Items, db.get)
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()

	if _, err := b.Get(ctx, []int64{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	if n := b.Invalidate(ctx, []int64{1, 2, 7}); n != 2 {
		t.Errorf("Invalidate(1, 2, 7) = %d; want 2", n)
	}
	if _, ok := b.Peek(ctx, 1); ok {
		t.Errorf("Peek(1) = _, true after Invalidate; want false")
	}
	if !b.Prime(ctx, 5, item{ID: 5, Version: 7}) {
		t.Errorf("Prime(5) = false; want true")
	}
	if v, ok := b.Peek(ctx, 5); !ok || v.Version != 7 {
		t.Errorf("Peek(5) = %v, %v; want the primed item", v, ok)
	}
	db.calls = nil
	if m, err := b.Refresh(ctx, []int64{3, 5}); err != nil || m[5].Version != 0 {
		t.Errorf("Refresh(3, 5) = %v, %v; want item 5 loaded again", m, err)
	}
	if !slices.EqualFunc(db.calls, [][]int64{{3, 5}}, slices.Equal) {
		t.Errorf("Refresh(3, 5) called the batch function with %v; want [[3 5]]", db.calls)
	}
	if n := b.InvalidateAll(ctx); n != 2 {
		t.Errorf("Clear() = %d; want 2", n)
	}
}

func TestBatch_PassThroughWithoutCache(t *testing.T) {
	db := &batchDB{}
	b := reqcache.CacheBatch(Items, db.get)
	for range 2 {
		if m, err := b.Get(context.Background(), []int64{1, 2}); err != nil || len(m) != 2 {
			t.Errorf("Get(1, 2) = %v, %v; want both items", m, err)
		}
	}
	if len(db.calls) != 2 {
		t.Errorf("batch calls = %d; want 2", len(db.calls))
	}
}
