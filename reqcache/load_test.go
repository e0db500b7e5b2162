package reqcache_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/reqcache/reqcache/reqcache"
)

func TestGet_SingleFlight(t *testing.T) {
	g := newGate()
	fn, loads := counted(func(id int64) (item, error) { g.wait(); return itemOf(id) })
	byID := reqcache.Cache1(Items, fn, ItemID)
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	waiting, restore := reqcache.OnWaiting()
	defer restore()

	const callers = 8
	var wg sync.WaitGroup
	results := make([]item, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = byID.Get(ctx, 42)
		}()
	}
	<-g.started
	for range callers - 1 {
		<-waiting
	}
	close(g.open)
	wg.Wait()

	want, _ := itemOf(42)
	for i := range callers {
		if results[i] != want || errs[i] != nil {
			t.Errorf("caller %d: Get(42) = %v, %v; want %v, nil", i, results[i], errs[i], want)
		}
	}
	if got := loads.Load(); got != 1 {
		t.Errorf("loads = %d; want 1", got)
	}
	if s := c.Stats(); s.Misses != callers || s.Loads != 1 {
		t.Errorf("Stats() = %+v; want %d misses, 1 load", s, callers)
	}
}

func TestGet_WaiterCancelStopsOnlyItsWait(t *testing.T) {
	g := newGate()
	fn, loads := counted(func(id int64) (item, error) { g.wait(); return itemOf(id) })
	byID := reqcache.Cache1(Items, fn, ItemID)
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	waiting, restore := reqcache.OnWaiting()
	defer restore()

	leader := make(chan error)
	go func() { _, err := byID.Get(ctx, 1); leader <- err }()
	<-g.started

	waiterCtx, cancel := context.WithCancel(ctx)
	waiter := make(chan error)
	go func() { _, err := byID.Get(waiterCtx, 1); waiter <- err }()
	<-waiting
	cancel()
	if err := <-waiter; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled waiter: Get(1) error = %v; want context.Canceled", err)
	}

	close(g.open)
	if err := <-leader; err != nil {
		t.Errorf("leader: Get(1) error = %v; want nil", err)
	}
	if _, ok := byID.Peek(ctx, 1); !ok {
		t.Errorf("Peek(1) = _, false; want the leader's load stored")
	}
	if got := loads.Load(); got != 1 {
		t.Errorf("loads = %d; want 1", got)
	}
}

func TestGet_LeaderCancelMakesWaitersLoad(t *testing.T) {
	g := newGate()
	var first sync.Once
	fn, loads := counted(func(id int64) (item, error) { return itemOf(id) })
	byID := reqcache.Cache1(Items, func(ctx context.Context, id int64) (item, error) {
		isFirst := false
		first.Do(func() { isFirst = true })
		if isFirst {
			g.started <- struct{}{}
			<-ctx.Done() // the first load runs until its caller gives up
			return item{}, ctx.Err()
		}
		return fn(ctx, id)
	}, ItemID)
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	waiting, restore := reqcache.OnWaiting()
	defer restore()

	leaderCtx, cancel := context.WithCancel(ctx)
	leader := make(chan error)
	go func() { _, err := byID.Get(leaderCtx, 1); leader <- err }()
	<-g.started
	waiter := make(chan item)
	go func() { v, _ := byID.Get(ctx, 1); waiter <- v }()
	<-waiting
	cancel()

	if err := <-leader; !errors.Is(err, context.Canceled) {
		t.Errorf("leader: Get(1) error = %v; want context.Canceled", err)
	}
	if got := <-waiter; got.ID != 1 {
		t.Errorf("waiter: Get(1) = %v; want item 1 from its own load", got)
	}
	if got := loads.Load(); got != 1 {
		t.Errorf("loads after the failed one = %d; want 1", got)
	}
}

func TestGet_PanicReachesEveryWaiter(t *testing.T) {
	g := newGate()
	fn, loads := counted(func(id int64) (item, error) {
		if id == 1 {
			g.wait()
			panic("loader bug")
		}
		return itemOf(id)
	})
	byID := reqcache.Cache1(Items, fn, ItemID)
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	waiting, restore := reqcache.OnWaiting()
	defer restore()

	recovered := func() (r any) {
		defer func() { r = recover() }()
		_, _ = byID.Get(ctx, 1)
		return nil
	}
	leader := make(chan any)
	go func() { leader <- recovered() }()
	<-g.started
	const waiters = 3
	got := make(chan any, waiters)
	for range waiters {
		go func() { got <- recovered() }()
		<-waiting
	}
	close(g.open)

	if r := <-leader; r != "loader bug" {
		t.Errorf("leader recovered %v; want the original value %q", r, "loader bug")
	}
	for range waiters {
		r := <-got
		pe, ok := r.(*reqcache.PanicError)
		if !ok || pe.Value != "loader bug" || !strings.Contains(string(pe.Stack), "load_test.go") {
			t.Errorf("waiter recovered %#v; want *PanicError with the value and the loader's stack", r)
		}
	}
	if _, ok := byID.Peek(ctx, 1); ok {
		t.Errorf("Peek(1) = _, true; want nothing stored after a panic")
	}
	if s := c.Stats(); s.Errors != 1 || s.Entries != 0 {
		t.Errorf("Stats() = %+v; want 1 error, 0 entries", s)
	}
	if loads.Load() != 1 {
		t.Errorf("loads = %d; want 1", loads.Load())
	}
}

func TestGet_GoexitMakesWaitersLoad(t *testing.T) {
	g := newGate()
	var first sync.Once
	byID := reqcache.Cache1(Items, func(_ context.Context, id int64) (item, error) {
		isFirst := false
		first.Do(func() { isFirst = true })
		if isFirst {
			g.wait()
			runtime.Goexit()
		}
		return itemOf(id)
	}, ItemID)
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	waiting, restore := reqcache.OnWaiting()
	defer restore()

	exited := make(chan struct{})
	go func() {
		defer close(exited)
		_, _ = byID.Get(ctx, 1)
		t.Error("Get returned after its loader called runtime.Goexit")
	}()
	<-g.started
	waiter := make(chan item)
	go func() { v, _ := byID.Get(ctx, 1); waiter <- v }()
	<-waiting
	close(g.open)
	<-exited
	if got := <-waiter; got.ID != 1 {
		t.Errorf("waiter: Get(1) = %v; want item 1 from its own load", got)
	}
}

func TestGet_CallFromItsOwnLoadFails(t *testing.T) {
	var byID *reqcache.Func1[int64, item]
	byID = reqcache.Cache1(Items, func(ctx context.Context, id int64) (item, error) {
		return byID.Get(ctx, id) // a bug: the load needs itself
	}, ItemID)
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	_, err := byID.Get(ctx, 1)
	if !errors.Is(err, reqcache.ErrCycle) {
		t.Errorf("Get(1) error = %v; want a self-wait error, not a deadlock", err)
	}
}
