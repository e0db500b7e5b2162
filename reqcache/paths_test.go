package reqcache_test

import (
	"context"
	"runtime"
	"sync"
	"testing"

	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/reqcache"
)

// TestBatch_PanicReachesWaiters panics in a batch function while another
// goroutine waits for one of its keys: the leader panics with the value,
// the waiter with a *PanicError, and nothing is stored.
func TestBatch_PanicReachesWaiters(t *testing.T) {
	g := newGate()
	byIDs := reqcache.CacheBatch(Items, func(_ context.Context, ids []int64) (map[int64]int64, error) {
		g.wait()
		panic("batch bug")
	}, reqcache.Name("batch-panic"))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	waiting, restore := reqcache.OnWaiting()
	defer restore()

	recovered := func(ids ...int64) (r any) {
		defer func() { r = recover() }()
		_, _ = byIDs.Get(ctx, ids)
		return nil
	}
	leader := make(chan any)
	go func() { leader <- recovered(1, 2) }()
	<-g.started
	waiter := make(chan any)
	go func() { waiter <- recovered(2) }()
	<-waiting
	close(g.open)
	if r := <-leader; r != "batch bug" {
		t.Errorf("leader recovered %v; want %q", r, "batch bug")
	}
	if pe, ok := (<-waiter).(*reqcache.PanicError); !ok || pe.Value != "batch bug" {
		t.Errorf("waiter recovered %#v; want *PanicError of %q", pe, "batch bug")
	}
	if s := c.Stats(); s.Entries != 0 || s.Errors != 1 {
		t.Errorf("Stats() = %+v; want 0 entries, 1 error", s)
	}
}

// TestBatch_GoexitMakesWaitersLoad calls runtime.Goexit in a batch
// function while another goroutine waits for one of its keys: the leader
// exits, and the waiter loads the key itself.
func TestBatch_GoexitMakesWaitersLoad(t *testing.T) {
	g := newGate()
	var first sync.Once
	byIDs := reqcache.CacheBatch(Items, func(_ context.Context, ids []int64) (map[int64]int64, error) {
		isFirst := false
		first.Do(func() { isFirst = true })
		if isFirst {
			g.wait()
			runtime.Goexit()
		}
		m := map[int64]int64{}
		for _, id := range ids {
			m[id] = id
		}
		return m, nil
	}, reqcache.Name("batch-goexit"))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	waiting, restore := reqcache.OnWaiting()
	defer restore()

	exited := make(chan struct{})
	go func() {
		defer close(exited)
		_, _ = byIDs.Get(ctx, []int64{1, 2})
		t.Error("batch Get returned after its function called runtime.Goexit")
	}()
	<-g.started
	waiter := make(chan int64)
	go func() { v, _ := byIDs.GetOne(ctx, 2); waiter <- v }()
	<-waiting
	close(g.open)
	<-exited
	if v := <-waiter; v != 2 {
		t.Errorf("waiter: GetOne(2) = %d; want 2 from its own load", v)
	}
}

// TestBatch_LoaderCallingCachedMethod makes a batch function read through
// another cached method: invalidating that read removes the batch entries.
func TestBatch_LoaderCallingCachedMethod(t *testing.T) {
	rate := reqcache.Cache1(Orders, func(_ context.Context, id int64) (int64, error) {
		return 10, nil
	}, OrderID, reqcache.IDFromParam(OrderID), reqcache.Name("batch-dep-rate"))
	byIDs := reqcache.CacheBatch(Items, func(ctx context.Context, ids []int64) (map[int64]int64, error) {
		r, err := rate.Get(ctx, 0)
		m := map[int64]int64{}
		for _, id := range ids {
			m[id] = id * r
		}
		return m, err
	}, reqcache.Name("batch-dep"))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	if m, err := byIDs.Get(ctx, []int64{1, 2}); err != nil || m[2] != 20 {
		t.Fatalf("batch Get(1, 2) = %v, %v; want 2: 20", m, err)
	}
	if n := invalidate.ID(ctx, Orders, 0); n != 3 {
		t.Errorf("invalidate.ID(order 0) = %d; want 3 (the rate and both batch entries)", n)
	}
	if _, ok := byIDs.Peek(ctx, 1); ok {
		t.Errorf("batch Peek(1) after invalidating the rate = true; want false")
	}
}

// TestFunc2Func3_RefreshPeekPrime checks Refresh, Peek and Prime of methods
// of two and three arguments.
func TestFunc2Func3_RefreshPeekPrime(t *testing.T) {
	n := 0
	f2 := reqcache.Cache2(Items, func(_ context.Context, id int64, g string) (string, error) {
		n++
		return g, nil
	}, ItemID, Group, reqcache.Name("f2-rpp"))
	f3 := reqcache.Cache3(Items, func(_ context.Context, id int64, g string, k int) (int, error) {
		n++
		return k + n, nil
	}, ItemID, Group, Kind, reqcache.Name("f3-rpp"))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()

	if _, ok := f2.Peek(ctx, 1, "a"); ok {
		t.Errorf("f2 Peek(1, a) before any load = true; want false")
	}
	if !f2.Prime(ctx, 1, "a", "primed") {
		t.Errorf("f2 Prime(1, a) = false; want true")
	}
	if v, ok := f2.Peek(ctx, 1, "a"); !ok || v != "primed" {
		t.Errorf("f2 Peek(1, a) = %q, %v; want primed", v, ok)
	}
	if v, err := f2.Refresh(ctx, 1, "a"); err != nil || v != "a" || n != 1 {
		t.Errorf("f2 Refresh(1, a) = %q, %v after %d loads; want a after 1", v, err, n)
	}
	if v, err := f2.Get(ctx, 1, "a"); err != nil || v != "a" || n != 1 {
		t.Errorf("f2 Get(1, a) = %q, %v after %d loads; want a after 1", v, err, n)
	}

	if !f3.Prime(ctx, 1, "a", 2, 100) {
		t.Errorf("f3 Prime(1, a, 2) = false; want true")
	}
	if v, err := f3.Get(ctx, 1, "a", 2); err != nil || v != 100 || n != 1 {
		t.Errorf("f3 Get(1, a, 2) = %d, %v after %d loads; want the primed 100", v, err, n)
	}
	if v, err := f3.Refresh(ctx, 1, "a", 2); err != nil || v != 4 {
		t.Errorf("f3 Refresh(1, a, 2) = %d, %v; want 4", v, err)
	}
	if v, ok := f3.Peek(ctx, 1, "a", 2); !ok || v != 4 {
		t.Errorf("f3 Peek(1, a, 2) = %d, %v; want 4, true", v, ok)
	}
	if _, ok := f3.Peek(ctx, 1, "a", 3); ok {
		t.Errorf("f3 Peek(1, a, 3) = _, true; want false: another call")
	}
}
