package reqcache_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reqcache/reqcache/reqcache"
)

// fakeClock is a clock that tests move; it counts its readings.
type fakeClock struct {
	ns    atomic.Int64
	reads atomic.Int64
}

func (c *fakeClock) now() time.Time {
	c.reads.Add(1)
	return time.Unix(0, c.ns.Load())
}

func (c *fakeClock) add(d time.Duration) { c.ns.Add(int64(d)) }

// TestExpiry_Table moves the clock between calls of Get and checks which
// load again.
func TestExpiry_Table(t *testing.T) {
	tests := []struct {
		name    string
		opts    []reqcache.Option
		steps   []time.Duration // clock moves before each Get
		loads   []int64         // loads after each Get
		expired int64
	}{
		{"MaxAge", []reqcache.Option{reqcache.MaxAge(time.Minute)},
			[]time.Duration{0, 30 * time.Second, 29 * time.Second, time.Second, time.Second},
			[]int64{1, 1, 1, 2, 2}, 1},
		{"MaxAge, used or not", []reqcache.Option{reqcache.MaxAge(time.Minute)},
			[]time.Duration{0, 59 * time.Second, 59 * time.Second, 59 * time.Second},
			[]int64{1, 1, 2, 2}, 1},
		{"MaxIdleTime", []reqcache.Option{reqcache.MaxIdleTime(time.Minute)},
			[]time.Duration{0, 59 * time.Second, 59 * time.Second, 59 * time.Second, time.Minute},
			[]int64{1, 1, 1, 1, 2}, 1},
		{"both", []reqcache.Option{reqcache.MaxAge(2 * time.Minute), reqcache.MaxIdleTime(time.Minute)},
			[]time.Duration{0, 50 * time.Second, 50 * time.Second, 50 * time.Second, 61 * time.Second},
			[]int64{1, 1, 1, 2, 3}, 2},
		{"none", nil,
			[]time.Duration{0, time.Hour, 1000 * time.Hour},
			[]int64{1, 1, 1}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newVersions()
			f := reqcache.Cache1(Items, db.load, ItemID, tt.opts...)
			clock := new(fakeClock)
			ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{Clock: clock.now})
			defer c.Close()
			for i, d := range tt.steps {
				clock.add(d)
				if _, err := f.Get(ctx, 1); err != nil {
					t.Fatalf("Get = %v", err)
				}
				if got := db.loads.Load(); got != tt.loads[i] {
					t.Errorf("loads after step %d (+%v) = %d; want %d", i, d, got, tt.loads[i])
				}
			}
			if s := c.Stats(); s.Expired != tt.expired {
				t.Errorf("Stats().Expired = %d; want %d", s.Expired, tt.expired)
			}
		})
	}
}

// TestExpiry_NoClockWhenUnset: a cache whose methods do not expire
// entries never reads its clock, on hits, misses, Peek or invalidations.
func TestExpiry_NoClockWhenUnset(t *testing.T) {
	db := newVersions()
	f := reqcache.Cache1(Items, db.load, ItemID, reqcache.IDFromParam(ItemID))
	clock := new(fakeClock)
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{Clock: clock.now})
	defer c.Close()
	for range 3 {
		_, _ = f.Get(ctx, 1)
		_, _, _ = f.GetStale(ctx, 2)
		_, _ = f.Peek(ctx, 1)
	}
	f.MarkStale(ctx, 1)
	_, _ = f.Get(ctx, 1)
	if n := clock.reads.Load(); n != 0 {
		t.Errorf("clock reads = %d; want 0", n)
	}
}

// TestExpiry_GetStale: an expired entry is stale: GetStale answers with it
// while another call reloads it.
func TestExpiry_GetStale(t *testing.T) {
	db := newVersions()
	f := reqcache.Cache1(Items, db.load, ItemID, reqcache.MaxAge(time.Minute))
	clock := new(fakeClock)
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{Clock: clock.now})
	defer c.Close()
	_, _ = f.Get(ctx, 1)
	db.write(1)
	clock.add(time.Minute)
	if _, ok := f.Peek(ctx, 1); ok {
		t.Errorf("Peek of an expired entry = true; want false")
	}
	g := db.block(1)
	reloaded := make(chan item, 1)
	go func() {
		v, _ := f.Get(ctx, 1)
		reloaded <- v
	}()
	<-g.started
	if v, fresh, _ := f.GetStale(ctx, 1); v.Version != 0 || fresh {
		t.Errorf("GetStale during the reload = version %d, %v; want 0, false", v.Version, fresh)
	}
	db.unblock(1, g)
	if v := <-reloaded; v.Version != 1 {
		t.Errorf("Get after expiry = version %d; want 1", v.Version)
	}
	if v, fresh, _ := f.GetStale(ctx, 1); v.Version != 1 || !fresh {
		t.Errorf("GetStale after the reload = version %d, %v; want 1, true", v.Version, fresh)
	}
}

// TestExpiry_Inherited: an entry whose load used an entry with a maximum
// age expires with it, whether the inner entry loaded during the outer
// load or was stored before.
func TestExpiry_Inherited(t *testing.T) {
	for _, innerFirst := range []bool{false, true} {
		t.Run(map[bool]string{false: "inner loaded by outer", true: "inner stored before"}[innerFirst], func(t *testing.T) {
			db := newVersions()
			inner := reqcache.Cache1(Items, db.load, ItemID, reqcache.MaxAge(time.Minute))
			var outerLoads atomic.Int64
			outer := reqcache.Cache1(Orders, func(ctx context.Context, id int64) (item, error) {
				outerLoads.Add(1)
				return inner.Get(ctx, id)
			}, OrderID)
			clock := new(fakeClock)
			ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{Clock: clock.now})
			defer c.Close()
			if innerFirst {
				_, _ = inner.Get(ctx, 1)
				clock.add(30 * time.Second)
			}
			_, _ = outer.Get(ctx, 1)
			_, _ = outer.Get(ctx, 1)
			if n := outerLoads.Load(); n != 1 {
				t.Fatalf("outer loads = %d; want 1", n)
			}
			clock.add(time.Minute - map[bool]time.Duration{false: 0, true: 30 * time.Second}[innerFirst])
			if _, err := outer.Get(ctx, 1); err != nil {
				t.Fatalf("Get(outer) = %v", err)
			}
			if n := outerLoads.Load(); n != 2 {
				t.Errorf("outer loads after the inner entry's maximum age = %d; want 2", n)
			}
		})
	}
}

// TestExpiry_Batch: a batch method that shares a method's entries loads
// the keys that expired, and only those.
func TestExpiry_Batch(t *testing.T) {
	db := newVersions()
	byID := reqcache.Cache1(Items, db.load, ItemID, reqcache.MaxAge(time.Minute))
	var asked [][]int64
	batch := byID.Batch(func(ctx context.Context, ids []int64) (map[int64]item, error) {
		asked = append(asked, ids)
		m := map[int64]item{}
		for _, id := range ids {
			m[id], _ = db.load(ctx, id)
		}
		return m, nil
	})
	clock := new(fakeClock)
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{Clock: clock.now})
	defer c.Close()
	_, _ = byID.Get(ctx, 1)
	clock.add(30 * time.Second)
	_, _ = byID.Get(ctx, 2)
	clock.add(30 * time.Second) // 1 expired, 2 live
	m, err := batch.Get(ctx, []int64{1, 2})
	if err != nil || len(m) != 2 {
		t.Fatalf("batch Get = %v, %v; want 2 values", m, err)
	}
	if len(asked) != 1 || len(asked[0]) != 1 || asked[0][0] != 1 {
		t.Errorf("batch function asked for %v; want [[1]]", asked)
	}
	if _, ok := byID.Peek(ctx, 1); !ok {
		t.Errorf("Peek(1) after the batch reloaded it = false; want true")
	}
}

// TestExpiry_SlidingConcurrent: hits from many goroutines keep an entry
// with an idle time live, under -race; the clock moves between rounds.
// Run with -race -count=50.
func TestExpiry_SlidingConcurrent(t *testing.T) {
	db := newVersions()
	f := reqcache.Cache1(Items, db.load, ItemID, reqcache.MaxIdleTime(time.Minute))
	clock := new(fakeClock)
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{Clock: clock.now})
	defer c.Close()
	_, _ = f.Get(ctx, 1)
	for range 5 {
		clock.add(50 * time.Second)
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 10 {
					_, _ = f.Get(ctx, 1)
				}
			}()
		}
		wg.Wait()
	}
	if n := db.loads.Load(); n != 1 {
		t.Errorf("loads = %d; want 1 (each round used the entry within its idle time)", n)
	}
	clock.add(time.Minute)
	_, _ = f.Get(ctx, 1)
	if n := db.loads.Load(); n != 2 {
		t.Errorf("loads after a minute unused = %d; want 2", n)
	}
}

// TestExpiry_Declaration: a duration that is not positive fails when the
// method is made, naming the method and the option.
func TestExpiry_Declaration(t *testing.T) {
	for _, opt := range []struct {
		name string
		opt  reqcache.Option
	}{{"MaxAge", reqcache.MaxAge(0)}, {"MaxIdleTime", reqcache.MaxIdleTime(-time.Second)}} {
		t.Run(opt.name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, "reqcache: expiring: "+opt.name) {
					t.Errorf("panic = %q; want one naming the method and %s", msg, opt.name)
				}
			}()
			reqcache.Cache1(Items, newVersions().load, ItemID, opt.opt, reqcache.Name("expiring"))
		})
	}
}

// TestExpiry_Explain: Explain gives expiry as the reason of a reload.
func TestExpiry_Explain(t *testing.T) {
	f := reqcache.Cache1(Items, newVersions().load, ItemID, reqcache.MaxAge(time.Second), reqcache.Name("byID"))
	clock := new(fakeClock)
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{Clock: clock.now, Explain: true})
	defer c.Close()
	_, _ = f.Get(ctx, 1)
	clock.add(time.Second)
	_, _ = f.Get(ctx, 1)
	if m := c.Explain(); len(m) != 2 || m[1].Reason != "expired" {
		t.Errorf("Explain() = %+v; want the second miss expired", m)
	}
}
