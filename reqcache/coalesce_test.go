package reqcache_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reqcache/reqcache/reqcache"
)

// never is a Wait that no test waits out: the tests fill their batches, or
// hold their first call with HoldGathering.
const never = time.Hour

// spawn runs f on a goroutine of its own, which wg waits for.
func spawn(wg *sync.WaitGroup, f func()) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		f()
	}()
}

// gatherAll calls b.GetOne for each key on a goroutine of its own, and
// returns the values and errors in the order of keys.
func gatherAll(ctx context.Context, b *reqcache.Batch[int64, item], keys []int64) ([]item, []error) {
	vals := make([]item, len(keys))
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		spawn(&wg, func() { vals[i], errs[i] = b.GetOne(ctx, k) })
	}
	wg.Wait()
	return vals, errs
}

func TestCoalesce_OneCallPerBatch(t *testing.T) {
	tests := []struct {
		name      string
		maxKeys   int
		keys      []int64
		wantCalls int
	}{
		{"one key", 1, []int64{1}, 1},
		{"keys repeat", 4, []int64{1, 2, 3, 4, 1, 2, 3, 4, 4, 4}, 1},
		{"absent key", 3, []int64{1, 42, 2, 42}, 1},
		{"two batches", 2, []int64{1, 2, 3, 4}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := &batchDB{}
			b := reqcache.CacheBatch(Items, db.get, reqcache.Coalesce(reqcache.Coalescing{Wait: never, MaxKeys: tt.maxKeys}))
			ctx, c := reqcache.Scope(context.Background())
			defer c.Close()
			vals, errs := gatherAll(ctx, b, tt.keys)
			for i, k := range tt.keys {
				want, wantErr := item{ID: k}, error(nil)
				if k > 9 {
					want, wantErr = item{}, reqcache.ErrNotFound
				}
				if vals[i] != want || !errors.Is(errs[i], wantErr) {
					t.Errorf("GetOne(%d) = %v, %v; want %v, %v", k, vals[i], errs[i], want, wantErr)
				}
			}
			if len(db.calls) != tt.wantCalls {
				t.Errorf("batch calls = %v; want %d", db.calls, tt.wantCalls)
			}
			var loaded []int64
			for _, call := range db.calls {
				if len(call) > tt.maxKeys {
					t.Errorf("a call of %d keys: %v; want at most %d", len(call), call, tt.maxKeys)
				}
				loaded = append(loaded, call...)
			}
			slices.Sort(loaded)
			if want := slices.Compact(slices.Sorted(slices.Values(tt.keys))); !slices.Equal(loaded, want) {
				t.Errorf("keys loaded = %v; want each of %v once", loaded, want)
			}
			if s := c.Stats(); s.Loads != int64(tt.wantCalls) || s.Hits+s.Misses != int64(len(tt.keys)) {
				t.Errorf("Stats() = %+v; want %d loads and %d calls", s, tt.wantCalls, len(tt.keys))
			}
		})
	}
}

// holdFirst starts the first call of a gathering, GetOne(first), and
// returns once it holds the gathering open; release lets it wait out its
// Wait.
func holdFirst(t *testing.T, ctx context.Context, b *reqcache.Batch[int64, item], first int64) (release func(), result <-chan error) {
	t.Helper()
	started, release, restore := reqcache.HoldGathering()
	t.Cleanup(restore)
	t.Cleanup(release)
	res := make(chan error, 1)
	go func() {
		v, err := b.GetOne(ctx, first)
		if err == nil && v.ID != first {
			err = fmt.Errorf("GetOne(%d) = %v", first, v)
		}
		res <- err
	}()
	<-started
	return release, res
}

// The first call waits out Wait; the calls that joined meanwhile share its
// batch.
func TestCoalesce_WaitGathers(t *testing.T) {
	db := &batchDB{}
	b := reqcache.CacheBatch(Items, db.get, reqcache.Coalesce(reqcache.Coalescing{Wait: time.Nanosecond}))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	waiting, restore := reqcache.OnWaiting()
	defer restore()
	release, first := holdFirst(t, ctx, b, 1)
	var wg sync.WaitGroup
	for _, k := range []int64{2, 3, 2} {
		spawn(&wg, func() {
			if v, err := b.GetOne(ctx, k); v.ID != k || err != nil {
				t.Errorf("GetOne(%d) = %v, %v; want %d", k, v, err, k)
			}
		})
		<-waiting
	}
	release()
	wg.Wait()
	if err := <-first; err != nil {
		t.Error(err)
	}
	if want := [][]int64{{1, 2, 3}}; !slices.EqualFunc(db.calls, want, slices.Equal) {
		t.Errorf("batch calls = %v; want %v", db.calls, want)
	}
}

// A caller whose context ends stops waiting at once; the batch loads for
// the others. A first caller whose context ends during the wait gives the
// batch up, and the others load their keys in a new one.
func TestCoalesce_Cancel(t *testing.T) {
	for _, firstCancels := range []bool{false, true} {
		t.Run(fmt.Sprintf("first=%v", firstCancels), func(t *testing.T) {
			db := &batchDB{}
			b := reqcache.CacheBatch(Items, db.get, reqcache.Coalesce(reqcache.Coalescing{Wait: time.Nanosecond}))
			ctx, c := reqcache.Scope(context.Background())
			defer c.Close()
			cctx, cancel := context.WithCancel(ctx)
			firstCtx, otherCtx := ctx, cctx
			if firstCancels {
				firstCtx, otherCtx = cctx, ctx
			}
			waiting, restore := reqcache.OnWaiting()
			defer restore()
			release, first := holdFirst(t, firstCtx, b, 1)
			other := make(chan error, 1)
			go func() {
				_, err := b.GetOne(otherCtx, 2)
				other <- err
			}()
			<-waiting
			cancel()
			if firstCancels {
				release()
				if err := <-first; !errors.Is(err, context.Canceled) {
					t.Errorf("the first GetOne = %v; want %v", err, context.Canceled)
				}
				if err := <-other; err != nil {
					t.Errorf("the other GetOne = %v; want nil", err)
				}
				if want := [][]int64{{2}}; !slices.EqualFunc(db.calls, want, slices.Equal) {
					t.Errorf("batch calls = %v; want %v", db.calls, want)
				}
				return
			}
			if err := <-other; !errors.Is(err, context.Canceled) {
				t.Errorf("the other GetOne = %v; want %v", err, context.Canceled)
			}
			release()
			if err := <-first; err != nil {
				t.Errorf("the first GetOne = %v; want nil", err)
			}
			if v, ok := b.Peek(ctx, 2); !ok || v.ID != 2 {
				t.Errorf("Peek(2) = %v, %v; want the item loaded for the caller that left", v, ok)
			}
		})
	}
}

func TestCoalesce_PanicReachesEveryCaller(t *testing.T) {
	b := reqcache.CacheBatch(Items, func(context.Context, []int64) (map[int64]item, error) { panic("boom") },
		reqcache.Coalesce(reqcache.Coalescing{Wait: never, MaxKeys: 3}))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	var wg sync.WaitGroup
	var panics atomic.Int32
	for k := range int64(3) {
		spawn(&wg, func() {
			defer func() {
				if r := recover(); r != nil && strings.Contains(fmt.Sprint(r), "boom") {
					panics.Add(1)
				}
			}()
			b.GetOne(ctx, k+1)
		})
	}
	wg.Wait()
	if n := panics.Load(); n != 3 {
		t.Errorf("%d of 3 callers panicked; want all", n)
	}
}

// An invalidation made while the batch gathers beats its load.
func TestCoalesce_InvalidationBeatsGathering(t *testing.T) {
	db := &batchDB{}
	b := reqcache.CacheBatch(Items, db.get, reqcache.KeyParam(ItemID), reqcache.Coalesce(reqcache.Coalescing{Wait: time.Nanosecond}))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	release, first := holdFirst(t, ctx, b, 1)
	if n := b.Invalidate(ctx, []int64{1}); n != 1 {
		t.Errorf("Invalidate(1) = %d; want 1", n)
	}
	release()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if v, ok := b.Peek(ctx, 1); ok {
		t.Errorf("Peek(1) = %v, true; want nothing stored", v)
	}
}

// Calls made inside a transaction do not gather: they load at once.
func TestCoalesce_NotInTransaction(t *testing.T) {
	db := &batchDB{}
	b := reqcache.CacheBatch(Items, db.get, reqcache.Coalesce(reqcache.Coalescing{Wait: never}))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	txCtx, tx := reqcache.Begin(ctx)
	defer tx.Rollback()
	if v, err := b.GetOne(txCtx, 3); v.ID != 3 || err != nil {
		t.Errorf("GetOne(3) = %v, %v; want item 3", v, err)
	}
}

// A batch function that asks for a key of its own batch gets ErrCycle.
func TestCoalesce_Cycle(t *testing.T) {
	var b *reqcache.Batch[int64, item]
	var inner error
	b = reqcache.CacheBatch(Items, func(ctx context.Context, ids []int64) (map[int64]item, error) {
		_, inner = b.GetOne(ctx, ids[0])
		return map[int64]item{ids[0]: {ID: ids[0]}}, nil
	}, reqcache.Coalesce(reqcache.Coalescing{Wait: never, MaxKeys: 1}))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	if _, err := b.GetOne(ctx, 1); err != nil {
		t.Errorf("GetOne(1) = %v; want nil", err)
	}
	if !errors.Is(inner, reqcache.ErrCycle) {
		t.Errorf("GetOne(1) inside its own batch = %v; want ErrCycle", inner)
	}
}

// A single-key method's batch with Coalesce fills the method's entries.
func TestCoalesce_FuncBatchSharesEntries(t *testing.T) {
	get, calls := counted(itemOf)
	byID := reqcache.Cache1(Items, get, ItemID, reqcache.IDFromParam(ItemID))
	db := &batchDB{}
	byIDs := byID.Batch(db.get, reqcache.Coalesce(reqcache.Coalescing{Wait: never, MaxKeys: 2}))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	gatherAll(ctx, byIDs, []int64{1, 2})
	for _, k := range []int64{1, 2} {
		if v, err := byID.Get(ctx, k); v.ID != k || err != nil {
			t.Errorf("Get(%d) = %v, %v; want item %d", k, v, err, k)
		}
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("the single-key function ran %d times; want 0", n)
	}
}

// loadObserver records the Loads it sees.
type loadObserver struct {
	mu    sync.Mutex
	loads []reqcache.Load
}

func (o *loadObserver) StartLoad(ctx context.Context, l reqcache.Load) (context.Context, func(reqcache.LoadResult)) {
	o.mu.Lock()
	o.loads = append(o.loads, l)
	o.mu.Unlock()
	return ctx, func(reqcache.LoadResult) {}
}

func (o *loadObserver) Invalidated(context.Context, reqcache.Invalidation) {}
func (o *loadObserver) Closed(*reqcache.Cache)                             {}

type callerKey struct{}

func TestCoalesce_ObserverSeesCallers(t *testing.T) {
	db := &batchDB{}
	b := reqcache.CacheBatch(Items, db.get, reqcache.Coalesce(reqcache.Coalescing{Wait: never, MaxKeys: 3}))
	o := &loadObserver{}
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{Observer: o})
	defer c.Close()
	var wg sync.WaitGroup
	for k := range int64(3) {
		spawn(&wg, func() { b.GetOne(context.WithValue(ctx, callerKey{}, k+1), k+1) })
	}
	wg.Wait()
	if len(o.loads) != 1 {
		t.Fatalf("loads = %d; want 1", len(o.loads))
	}
	l := o.loads[0]
	if l.Keys != 3 || len(l.Callers) != 2 {
		t.Errorf("Load = %d keys, %d callers; want 3 keys, 2 callers", l.Keys, len(l.Callers))
	}
	for _, cc := range l.Callers {
		if cc.Value(callerKey{}) == nil {
			t.Errorf("a caller's context %v is not one of the calls'", cc)
		}
	}
}

func TestCoalesce_Misdeclarations(t *testing.T) {
	db := &batchDB{}
	byID := reqcache.Cache1(Items, func(_ context.Context, id int64) (item, error) { return itemOf(id) }, ItemID, reqcache.Name("byID"))
	tests := []struct {
		name string
		make func()
		want string
	}{
		{"not a batch", func() {
			reqcache.Cache1(Items, func(_ context.Context, id int64) (item, error) { return itemOf(id) }, ItemID, reqcache.Name("one"), reqcache.Coalesce(reqcache.Coalescing{}))
		}, "reqcache: one: Coalesce is for batch methods"},
		{"negative wait", func() {
			reqcache.CacheBatch(Items, db.get, reqcache.Name("many"), reqcache.Coalesce(reqcache.Coalescing{Wait: -1}))
		}, "reqcache: many: Coalesce: negative Wait"},
		{"negative max", func() { byID.Batch(db.get, reqcache.Coalesce(reqcache.Coalescing{MaxKeys: -2})) }, "reqcache: byID: Coalesce: negative MaxKeys -2"},
		{"other option", func() { byID.Batch(db.get, reqcache.Name("x")) }, "reqcache: byID: Batch takes only Coalesce"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if r := fmt.Sprint(recover()); !strings.HasPrefix(r, tt.want) {
					t.Errorf("panic = %q; want it to start with %q", r, tt.want)
				}
			}()
			tt.make()
		})
	}
}

// TestCoalesce_Model runs goroutines of one request that ask for random
// keys, with invalidations and Close among them, and checks every answer
// against the data, which does not change: whatever gathers and whatever
// is invalidated, each caller gets its own key's item, and no batch call
// gets a key twice.
func TestCoalesce_Model(t *testing.T) {
	for round := range 20 {
		var bad atomic.Value
		get := func(_ context.Context, ids []int64) (map[int64]item, error) {
			if len(slices.Compact(slices.Sorted(slices.Values(ids)))) != len(ids) {
				bad.Store(fmt.Sprintf("a batch call with a repeated key: %v", ids))
			}
			m := map[int64]item{}
			for _, id := range ids {
				if id%5 != 0 {
					m[id] = item{ID: id}
				}
			}
			return m, nil
		}
		b := reqcache.CacheBatch(Items, get, reqcache.KeyParam(ItemID),
			reqcache.Coalesce(reqcache.Coalescing{Wait: time.Duration(round%3) * time.Microsecond, MaxKeys: 1 + round%4}))
		ctx, c := reqcache.Scope(context.Background())
		var wg sync.WaitGroup
		for g := range 8 {
			spawn(&wg, func() {
				r := rand.New(rand.NewPCG(uint64(round), uint64(g)))
				for range 50 {
					k := r.Int64N(12)
					switch r.IntN(10) {
					case 0:
						b.Invalidate(ctx, []int64{k})
					case 1:
						b.InvalidateAll(ctx)
					default:
						v, err := b.GetOne(ctx, k)
						if k%5 == 0 && (v != item{} || !errors.Is(err, reqcache.ErrNotFound)) ||
							k%5 != 0 && (v != item{ID: k} || err != nil) {
							bad.Store(fmt.Sprintf("GetOne(%d) = %v, %v", k, v, err))
						}
					}
				}
			})
		}
		if round%2 == 1 {
			spawn(&wg, c.Close)
		}
		wg.Wait()
		c.Close()
		if msg := bad.Load(); msg != nil {
			t.Fatalf("round %d: %s", round, msg)
		}
	}
}

// A batch function that calls runtime.Goexit ends its caller's goroutine;
// the calls waiting for its keys load them again.
func TestCoalesce_GoexitMakesWaitersLoad(t *testing.T) {
	var calls atomic.Int32
	b := reqcache.CacheBatch(Items, func(_ context.Context, ids []int64) (map[int64]item, error) {
		if calls.Add(1) == 1 {
			runtime.Goexit()
		}
		m := map[int64]item{}
		for _, id := range ids {
			m[id] = item{ID: id}
		}
		return m, nil
	}, reqcache.Coalesce(reqcache.Coalescing{Wait: time.Nanosecond, MaxKeys: 2}))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	var wg sync.WaitGroup
	var returned, exited atomic.Int32
	for k := range int64(2) {
		spawn(&wg, func() {
			ok := false
			defer func() {
				if !ok {
					exited.Add(1)
				}
			}()
			if v, err := b.GetOne(ctx, k+1); v.ID != k+1 || err != nil {
				t.Errorf("GetOne(%d) = %v, %v; want item %d", k+1, v, err, k+1)
			}
			returned.Add(1)
			ok = true
		})
	}
	wg.Wait()
	if returned.Load() != 1 || exited.Load() != 1 {
		t.Errorf("%d calls returned, %d exited; want 1 and 1", returned.Load(), exited.Load())
	}
}

// A deep Refresh reaches the keys its loader asks a gathering method for.
func TestCoalesce_DeepRefresh(t *testing.T) {
	db := &batchDB{}
	byIDs := reqcache.CacheBatch(Items, db.get, reqcache.Coalesce(reqcache.Coalescing{Wait: never, MaxKeys: 1}))
	outer := reqcache.Cache1(Orders, func(ctx context.Context, id int64) (order, error) {
		it, err := byIDs.GetOne(ctx, id)
		return order{ID: id, ItemID: it.ID}, err
	}, OrderID)
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	outer.Get(ctx, 1)
	outer.Refresh(ctx, 1)
	if want := [][]int64{{1}, {1}}; !slices.EqualFunc(db.calls, want, slices.Equal) {
		t.Errorf("batch calls = %v; want %v: the refresh loads the item again", db.calls, want)
	}
}

// A key marked stale loads again through the gathering.
func TestCoalesce_StaleKeyLoadsAgain(t *testing.T) {
	db := &batchDB{}
	b := reqcache.CacheBatch(Items, db.get, reqcache.Coalesce(reqcache.Coalescing{Wait: never, MaxKeys: 1}))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	b.GetOne(ctx, 1)
	if n, err := reqcache.MarkStale(ctx, Items.Tag(1)); n != 1 || err != nil {
		t.Fatalf("MarkStale(item 1) = %d, %v; want 1, nil", n, err)
	}
	if v, err := b.GetOne(ctx, 1); v.ID != 1 || err != nil {
		t.Errorf("GetOne(1) = %v, %v; want item 1", v, err)
	}
	if want := [][]int64{{1}, {1}}; !slices.EqualFunc(db.calls, want, slices.Equal) {
		t.Errorf("batch calls = %v; want %v", db.calls, want)
	}
}
