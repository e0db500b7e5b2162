package reqcache_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/reqcache/reqcache/reqcache"
)

// guard is a context whose deadline only keeps a hanging test from hanging
// the run: the tests below must end long before it.
func guard(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestIssue7_2_CycleAcrossGoroutines runs a(1), whose loader calls b(1), on
// one goroutine, and b(1), whose loader calls a(1), on another, with both
// loads under way before either asks for the other. On 341d319 both waited
// for each other until the request's context ended (here: the guard's
// deadline, context.DeadlineExceeded, not ErrCycle). Now the call that
// closes the cycle fails at once with ErrCycle naming both calls.
func TestIssue7_2_CycleAcrossGoroutines(t *testing.T) {
	aStarted, bStarted := make(chan struct{}), make(chan struct{})
	var a, b *reqcache.Func1[int64, int64]
	a = reqcache.Cache1(Items, func(ctx context.Context, id int64) (int64, error) {
		close(aStarted)
		<-bStarted
		return b.Get(ctx, id)
	}, ItemID, reqcache.Name("cycA"))
	b = reqcache.Cache1(Orders, func(ctx context.Context, id int64) (int64, error) {
		close(bStarted)
		<-aStarted
		return a.Get(ctx, id)
	}, OrderID, reqcache.Name("cycB"))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	ctx = guard(t, ctx)

	errs := make(chan error, 2)
	go func() { _, err := a.Get(ctx, 1); errs <- err }()
	go func() { _, err := b.Get(ctx, 1); errs <- err }()
	e1, e2 := <-errs, <-errs
	var cycle error
	for _, err := range []error{e1, e2} {
		if errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("a(1) and b(1) waited for each other until the deadline: %v", err)
		}
		if errors.Is(err, reqcache.ErrCycle) {
			cycle = err
		}
	}
	if cycle == nil {
		t.Fatalf("a(1), b(1) errors = %v, %v; want one wrapping ErrCycle", e1, e2)
	}
	if msg := cycle.Error(); !strings.Contains(msg, "cycA(1)") || !strings.Contains(msg, "cycB(1)") {
		t.Errorf("cycle error = %q; want it to name cycA(1) and cycB(1)", msg)
	}
}

// TestIssue7_2_BatchCycle runs batch functions that ask for one of their own
// keys, directly and through another cached method. On 341d319 only the
// single-key direction was detected: these hung until the context ended.
func TestIssue7_2_BatchCycle(t *testing.T) {
	var batch *reqcache.Batch[int64, int64]
	var via *reqcache.Func1[int64, int64]
	direct := true
	batch = reqcache.CacheBatch(Items, func(ctx context.Context, ids []int64) (map[int64]int64, error) {
		if direct {
			m, err := batch.Get(ctx, ids[:1])
			return m, err
		}
		v, err := via.Get(ctx, ids[0])
		return map[int64]int64{ids[0]: v}, err
	}, reqcache.Name("selfBatch"))
	via = reqcache.Cache1(Orders, func(ctx context.Context, id int64) (int64, error) {
		return batch.GetOne(ctx, id)
	}, OrderID, reqcache.Name("via"))

	for _, d := range []bool{true, false} {
		direct = d
		name := map[bool]string{true: "direct", false: "through another method"}[d]
		t.Run(name, func(t *testing.T) {
			ctx, c := reqcache.Scope(context.Background())
			defer c.Close()
			ctx = guard(t, ctx)
			_, err := batch.Get(ctx, []int64{1, 2})
			if !errors.Is(err, reqcache.ErrCycle) {
				t.Fatalf("batch Get(1, 2) error = %v; want ErrCycle", err)
			}
			if !strings.Contains(err.Error(), "selfBatch") {
				t.Errorf("cycle error = %q; want it to name selfBatch", err)
			}
		})
	}
}
