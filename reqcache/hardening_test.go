package reqcache_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// TestIssue7_1_PrimeRacingReads primes a key while other goroutines of the
// request get, peek and refresh it. On 341d319, Prime published the entry to
// the store before its per-method state was set, and the lock-free hit then
// counted into a nil pointer: the test panicked (and -race reported the
// write in link against the read in hit). Every value read must be one that
// some writer gave.
func TestIssue7_1_PrimeRacingReads(t *testing.T) {
	byID := reqcache.Cache1(Items, func(_ context.Context, id int64) (int64, error) {
		return 1000 + id, nil
	}, ItemID, reqcache.Name("prime-race"))
	legal := func(v int64) bool { return v == 1000+1 || v == 1 || v == 2 }
	for range 20 {
		ctx, c := reqcache.Scope(context.Background())
		var wg sync.WaitGroup
		start := make(chan struct{})
		run := func(f func()) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for range 50 {
					f()
				}
			}()
		}
		run(func() { byID.Prime(ctx, 1, 1) })
		run(func() { byID.Prime(ctx, 1, 2) })
		run(func() {
			if v, err := byID.Get(ctx, 1); err != nil || !legal(v) {
				t.Errorf("Get(1) = %d, %v; want 1001, 1 or 2", v, err)
			}
		})
		run(func() {
			if v, ok := byID.Peek(ctx, 1); ok && !legal(v) {
				t.Errorf("Peek(1) = %d, true; want 1001, 1 or 2", v)
			}
		})
		run(func() {
			if v, err := byID.Refresh(ctx, 1); err != nil || v != 1001 {
				t.Errorf("Refresh(1) = %d, %v; want 1001", v, err)
			}
		})
		close(start)
		wg.Wait()
		c.Close()
	}
}

// TestIssue7_1_CloseRacingEverything closes a cache while goroutines get,
// prime, refresh, invalidate, batch-get and gather through it, with and
// without the safety nets. On 341d319 the same publication race as above
// tripped -race here; after Close every call must still return a legal
// value, as a plain call. Every writer gives key i the value i, so verify
// mode must find no stale read.
func TestIssue7_1_CloseRacingEverything(t *testing.T) {
	byID := reqcache.Cache1(Items, func(_ context.Context, id int64) (int64, error) {
		return id, nil
	}, ItemID, reqcache.IDFromParam(ItemID), reqcache.Name("close-race"))
	byIDs := func(_ context.Context, ids []int64) (map[int64]int64, error) {
		m := make(map[int64]int64, len(ids))
		for _, id := range ids {
			m[id] = id
		}
		return m, nil
	}
	batch := byID.Batch(byIDs)
	gathered := byID.Batch(byIDs, reqcache.Coalesce(reqcache.Coalescing{Wait: time.Microsecond}))
	for _, safety := range []bool{false, true} {
		t.Run(fmt.Sprintf("safety=%v", safety), func(t *testing.T) {
			opts := reqcache.Options{MaxEntries: 4}
			if safety {
				opts.Verify, opts.Explain = 1, true
				opts.OnStaleRead = func(s reqcache.StaleRead) { t.Errorf("stale read reported: %v", s) }
			}
			for round := range 20 {
				closeRacing(t, opts, round, byID, batch, gathered)
			}
		})
	}
}

// closeRacing is one round of TestIssue7_1_CloseRacingEverything.
func closeRacing(t *testing.T, opts reqcache.Options, round int, byID *reqcache.Func1[int64, int64], batch, gathered *reqcache.Batch[int64, int64]) {
	ctx, c := reqcache.ScopeWithOptions(context.Background(), opts)
	var wg sync.WaitGroup
	start := make(chan struct{})
	run := func(f func(i int64)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for i := range int64(60) {
				f(i % 6)
			}
		}()
	}
	run(func(i int64) {
		if v, err := byID.Get(ctx, i); err != nil || v != i {
			t.Errorf("Get(%d) = %d, %v; want %d", i, v, err, i)
		}
	})
	run(func(i int64) { byID.Prime(ctx, i, i) })
	run(func(i int64) {
		if v, err := byID.Refresh(ctx, i); err != nil || v != i {
			t.Errorf("Refresh(%d) = %d, %v; want %d", i, v, err, i)
		}
	})
	run(func(i int64) {
		if i%2 == 0 {
			invalidate.ID(ctx, Items, i)
		} else {
			byID.Invalidate(ctx, i)
		}
	})
	run(func(i int64) {
		m, err := batch.Get(ctx, []int64{i, i + 1})
		if err != nil || m[i] != i || m[i+1] != i+1 {
			t.Errorf("batch Get(%d, %d) = %v, %v; want both", i, i+1, m, err)
		}
	})
	run(func(i int64) {
		if v, err := gathered.GetOne(ctx, i); err != nil || v != i {
			t.Errorf("GetOne(%d) = %d, %v; want %d", i, v, err, i)
		}
	})
	run(func(i int64) {
		if v, ok := byID.Peek(ctx, i); ok && v != i {
			t.Errorf("Peek(%d) = %d, true; want %d", i, v, i)
		}
	})
	close(start)
	if round%2 == 0 {
		runtime.Gosched()
	}
	c.Close()
	wg.Wait()
	if s := c.Stats(); s.Entries != 0 {
		t.Errorf("Stats().Entries after Close = %d; want 0", s.Entries)
	}
}

// TestIssue7_3_NaNIsNeverStored calls a method 400 times with a NaN
// argument. On 341d319 each call stored a new entry (NaN != NaN), none of
// which Close could remove: 400 of 400 stayed reachable.
func TestIssue7_3_NaNIsNeverStored(t *testing.T) {
	Price := region.NewParam[float64]("price")
	var ps payloads
	byPrice := reqcache.Cache1(Items, func(_ context.Context, _ float64) (*payload, error) {
		return ps.make(), nil
	}, Price, reqcache.Name("byPrice"))

	ctx, c := reqcache.Scope(context.Background())
	for range 400 {
		if _, err := byPrice.Get(ctx, math.NaN()); err != nil {
			t.Fatalf("Get(NaN) error = %v", err)
		}
	}
	if s := c.Stats(); s.Entries != 0 {
		t.Errorf("Stats() after 400 Get(NaN) = %+v; want 0 entries", s)
	}
	if n := ps.made(); n != 400 {
		t.Errorf("calls of the function for 400 Get(NaN) = %d; want 400", n)
	}
	if _, err := invalidate.Match(ctx, Items, Price.Is(math.NaN())); err != nil {
		t.Errorf("Match(price=NaN) error = %v", err)
	}
	c.Close()
	ps.checkCollected(t)
	runtime.KeepAlive(ctx)
}

type withTime struct {
	N  int
	At time.Time
}

// TestIssue7_3_IncomparableParamsPanic declares parameters whose == does not
// mean "same call". On 341d319 NewParam accepted them, and an invalidation
// with an equal value behind another pointer, or an equal instant in another
// location, silently removed nothing.
func TestIssue7_3_IncomparableParamsPanic(t *testing.T) {
	tests := []struct {
		name    string
		declare func()
	}{
		{"ptrParam7", func() { region.NewParam[*int64]("ptrParam7") }},
		{"timeParam7", func() { region.NewParam[time.Time]("timeParam7") }},
		{"structTimeParam7", func() { region.NewParam[withTime]("structTimeParam7") }},
		{"arrayPtrParam7", func() { region.NewParam[[2]*int]("arrayPtrParam7") }},
		{"anyParam7", func() { region.NewParam[any]("anyParam7") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := panicText(tt.declare)
			if !strings.Contains(text, tt.name) {
				t.Errorf("NewParam(%q) panic = %q; want a panic naming the parameter", tt.name, text)
			}
		})
	}
}

// TestIssue7_3_TimeParamKey keys a time.Time parameter by its UTC instant:
// a Get with the same instant in another location, or carrying a monotonic
// reading, hits, and Match(At.Is(t)) with any form of t removes the entry.
// On 341d319 time.Time keys differed by location and monotonic reading, so
// both missed.
func TestIssue7_3_TimeParamKey(t *testing.T) {
	At := region.NewParamKey("at7", func(t time.Time) time.Time { return t.UTC().Round(0) })
	fn, loads := counted(func(at time.Time) (int64, error) { return at.Unix(), nil })
	byTime := reqcache.Cache1(Items, fn, At, reqcache.Name("byTime"))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()

	now := time.Now() // with a monotonic reading
	utc := now.UTC().Round(0)
	tokyo := utc.In(time.FixedZone("JST", 9*3600))
	for _, at := range []time.Time{utc, now, tokyo} {
		if _, err := byTime.Get(ctx, at); err != nil {
			t.Fatalf("Get(%v) error = %v", at, err)
		}
	}
	if got := loads.Load(); got != 1 {
		t.Errorf("loads after Get of one instant in three forms = %d; want 1", got)
	}
	if n, err := invalidate.Match(ctx, Items, At.Is(tokyo)); err != nil || n != 1 {
		t.Errorf("Match(at=%v) = %d, %v; want 1", tokyo, n, err)
	}
	if _, ok := byTime.Peek(ctx, now); ok {
		t.Errorf("Peek(%v) after Match = true; want false", now)
	}
}

// TestIssue7_9_LeaderCancellation cancels the context of the goroutine whose
// call runs the load, while the loader honours its context: that caller
// returns ctx.Err() at once, and the waiters never see that error. This was
// the behaviour of 341d319 too, kept and now documented; the test pins it.
func TestIssue7_9_LeaderCancellation(t *testing.T) {
	g := newGate()
	var calls sync.Mutex
	first := true
	fn, loads := counted(func(id int64) (int64, error) { return id, nil })
	byID := reqcache.Cache1(Items, func(ctx context.Context, id int64) (int64, error) {
		calls.Lock()
		isFirst := first
		first = false
		calls.Unlock()
		if isFirst {
			g.started <- struct{}{}
			<-ctx.Done()
			return 0, ctx.Err()
		}
		return fn(ctx, id)
	}, ItemID, reqcache.Name("leader-cancel"))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	waiting, restore := reqcache.OnWaiting()
	defer restore()

	leaderCtx, cancel := context.WithCancel(ctx)
	leader := make(chan error)
	go func() { _, err := byID.Get(leaderCtx, 7); leader <- err }()
	<-g.started
	const waiters = 3
	type result struct {
		v   int64
		err error
	}
	results := make(chan result, waiters)
	for range waiters {
		go func() { v, err := byID.Get(ctx, 7); results <- result{v, err} }()
		<-waiting
	}
	cancel()
	if err := <-leader; !errors.Is(err, context.Canceled) {
		t.Errorf("leader: Get(7) error = %v; want context.Canceled", err)
	}
	for range waiters {
		if r := <-results; r.err != nil || r.v != 7 {
			t.Errorf("waiter: Get(7) = %d, %v; want 7, nil", r.v, r.err)
		}
	}
	if got := loads.Load(); got != 1 {
		t.Errorf("loads after the cancelled one = %d; want 1 (the waiters share it)", got)
	}
}
