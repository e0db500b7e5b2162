package reqcache_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// traceOpts is an argument that does not change a result: it has a func
// field, so it has no ==.
type traceOpts struct {
	Caller string
	Trace  func(string)
}

var Trace = region.NewNotKey[traceOpts]("trace")

// notKeyRepo records the trace option each load ran with.
type notKeyRepo struct {
	mu    sync.Mutex
	seen  []string
	loads atomic.Int64
	gate  *gate // if set, loads wait for it
}

func (r *notKeyRepo) load(id int64, o traceOpts) (item, error) {
	r.loads.Add(1)
	r.mu.Lock()
	r.seen = append(r.seen, o.Caller)
	r.mu.Unlock()
	if r.gate != nil {
		r.gate.wait()
	}
	return item{ID: id, Version: r.loads.Load()}, nil
}

func (r *notKeyRepo) seenBy() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.seen, ",")
}

func TestCacheNotKey_CallsDifferingOnlyInItShareAnEntry(t *testing.T) {
	tests := []struct {
		name string
		// get makes a method of r and returns its Get for key 7.
		get func(r *notKeyRepo) func(ctx context.Context, o traceOpts) (item, error)
	}{
		{"Cache0NotKey", func(r *notKeyRepo) func(context.Context, traceOpts) (item, error) {
			f := reqcache.Cache0NotKey(Items, func(_ context.Context, o traceOpts) (item, error) { return r.load(7, o) }, Trace)
			return f.Get
		}},
		{"Cache1NotKey", func(r *notKeyRepo) func(context.Context, traceOpts) (item, error) {
			f := reqcache.Cache1NotKey(Items, func(_ context.Context, id int64, o traceOpts) (item, error) { return r.load(id, o) }, ItemID, Trace)
			return func(ctx context.Context, o traceOpts) (item, error) { return f.Get(ctx, 7, o) }
		}},
		{"Cache2NotKey", func(r *notKeyRepo) func(context.Context, traceOpts) (item, error) {
			f := reqcache.Cache2NotKey(Items, func(_ context.Context, id int64, _ string, o traceOpts) (item, error) { return r.load(id, o) }, ItemID, Group, Trace)
			return func(ctx context.Context, o traceOpts) (item, error) { return f.Get(ctx, 7, "g", o) }
		}},
		{"Cache3NotKey", func(r *notKeyRepo) func(context.Context, traceOpts) (item, error) {
			f := reqcache.Cache3NotKey(Items, func(_ context.Context, id int64, _ string, _ int, o traceOpts) (item, error) { return r.load(id, o) }, ItemID, Group, Kind, Trace)
			return func(ctx context.Context, o traceOpts) (item, error) { return f.Get(ctx, 7, "g", 3, o) }
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &notKeyRepo{}
			get := tt.get(r)
			ctx, c := reqcache.Scope(context.Background())
			defer c.Close()
			for _, caller := range []string{"a", "b", "c"} {
				if v, err := get(ctx, traceOpts{Caller: caller, Trace: func(string) {}}); err != nil || v.ID != 7 || v.Version != 1 {
					t.Errorf("Get(7, %s) = %+v, %v; want item 7 of the first load", caller, v, err)
				}
			}
			if got := r.seenBy(); got != "a" {
				t.Errorf("loads ran with %q; want one load, with the first caller's argument a", got)
			}
			if s := c.Stats(); s.Loads != 1 || s.Hits != 2 {
				t.Errorf("Stats() = %+v; want 1 load, 2 hits", s)
			}
		})
	}
}

func TestCache1NotKey_SingleFlightAcrossTheArgument(t *testing.T) {
	r := &notKeyRepo{gate: newGate()}
	f := reqcache.Cache1NotKey(Items, func(_ context.Context, id int64, o traceOpts) (item, error) { return r.load(id, o) }, ItemID, Trace)
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
			results[i], errs[i] = f.Get(ctx, 3, traceOpts{Caller: fmt.Sprint(i)})
		}()
	}
	<-r.gate.started
	for range callers - 1 {
		<-waiting
	}
	close(r.gate.open)
	wg.Wait()

	for i := range callers {
		if results[i] != (item{ID: 3, Version: 1}) || errs[i] != nil {
			t.Errorf("caller %d: Get(3) = %+v, %v; want item 3 of the one load", i, results[i], errs[i])
		}
	}
	if n := r.loads.Load(); n != 1 {
		t.Errorf("loads = %d; want 1", n)
	}
	if seen := r.seenBy(); len(seen) != 1 || seen < "0" || seen > "7" {
		t.Errorf("the load ran with %q; want the argument of one of the callers", seen)
	}
}

func TestCache1NotKey_RefreshPeekPrimeInvalidate(t *testing.T) {
	r := &notKeyRepo{}
	f := reqcache.Cache1NotKey(Items, func(_ context.Context, id int64, o traceOpts) (item, error) { return r.load(id, o) }, ItemID, Trace, reqcache.IDFromParam(ItemID))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()

	if _, err := f.Get(ctx, 1, traceOpts{Caller: "get"}); err != nil {
		t.Fatalf("Get(1) = %v", err)
	}
	if v, err := f.Refresh(ctx, 1, traceOpts{Caller: "refresh"}); err != nil || v.Version != 2 {
		t.Errorf("Refresh(1) = %+v, %v; want version 2", v, err)
	}
	if v, ok := f.Peek(ctx, 1); !ok || v.Version != 2 {
		t.Errorf("Peek(1) = %+v, %v; want version 2", v, ok)
	}
	if !f.Prime(ctx, 2, item{ID: 2, Version: 9}) {
		t.Errorf("Prime(2) = false; want true")
	}
	if v, _ := f.Get(ctx, 2, traceOpts{Caller: "primed"}); v.Version != 9 {
		t.Errorf("Get(2) after Prime = %+v; want version 9", v)
	}
	if n, err := invalidate.Match(ctx, Items, ItemID.Is(2)); err != nil || n != 1 {
		t.Errorf("Match(itemID=2) = %d, %v; want 1, nil: the key parameter is matched as in Cache1", n, err)
	}
	if n := f.Invalidate(ctx, 1); n != 1 {
		t.Errorf("Invalidate(1) = %d; want 1", n)
	}
	if _, err := f.Get(ctx, 1, traceOpts{Caller: "after"}); err != nil {
		t.Fatalf("Get(1) = %v", err)
	}
	if n := f.InvalidateAll(ctx); n != 1 {
		t.Errorf("InvalidateAll() = %d; want 1", n)
	}
	if got, want := r.seenBy(), "get,refresh,after"; got != want {
		t.Errorf("loads ran with %q; want %q", got, want)
	}
	if !strings.Contains(f.Name(), "TestCache1NotKey_RefreshPeekPrimeInvalidate") {
		t.Errorf("Name() = %q; want the wrapped function's name", f.Name())
	}
}

// TestCache3NotKey_RefreshPeekPrimeInvalidate is
// TestCache1NotKey_RefreshPeekPrimeInvalidate for three keyed arguments,
// with a match by one of them.
func TestCache3NotKey_RefreshPeekPrimeInvalidate(t *testing.T) {
	r := &notKeyRepo{}
	f := reqcache.Cache3NotKey(Items, func(_ context.Context, id int64, _ string, _ int, o traceOpts) (item, error) {
		return r.load(id, o)
	}, ItemID, Group, Kind, Trace, reqcache.IDFromParam(ItemID), reqcache.Name("Find3"))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()

	if _, err := f.Get(ctx, 1, "a", 1, traceOpts{Caller: "get"}); err != nil {
		t.Fatalf("Get(1, a, 1) = %v", err)
	}
	if v, err := f.Refresh(ctx, 1, "a", 1, traceOpts{Caller: "refresh"}); err != nil || v.Version != 2 {
		t.Errorf("Refresh(1, a, 1) = %+v, %v; want version 2", v, err)
	}
	if v, ok := f.Peek(ctx, 1, "a", 1); !ok || v.Version != 2 {
		t.Errorf("Peek(1, a, 1) = %+v, %v; want version 2", v, ok)
	}
	if v, ok := f.Peek(ctx, 1, "a", 2); ok {
		t.Errorf("Peek(1, a, 2) = %+v, true; want nothing: the third argument is keyed", v)
	}
	if !f.Prime(ctx, 2, "b", 1, item{ID: 2, Version: 9}) {
		t.Errorf("Prime(2, b, 1) = false; want true")
	}
	if v, _ := f.Get(ctx, 2, "b", 1, traceOpts{Caller: "primed"}); v.Version != 9 {
		t.Errorf("Get(2, b, 1) after Prime = %+v; want version 9", v)
	}
	if n, err := invalidate.Match(ctx, Items, Group.Is("b")); err != nil || n != 1 {
		t.Errorf("Match(group=b) = %d, %v; want 1, nil: a keyed parameter is matched as in Cache3", n, err)
	}
	if n := f.Invalidate(ctx, 1, "a", 1); n != 1 {
		t.Errorf("Invalidate(1, a, 1) = %d; want 1", n)
	}
	if _, err := f.Get(ctx, 1, "a", 1, traceOpts{Caller: "after"}); err != nil {
		t.Fatalf("Get(1, a, 1) = %v", err)
	}
	if n := f.InvalidateAll(ctx); n != 1 {
		t.Errorf("InvalidateAll() = %d; want 1", n)
	}
	if got, want := r.seenBy(), "get,refresh,after"; got != want {
		t.Errorf("loads ran with %q; want %q", got, want)
	}
	if f.Name() != "Find3" {
		t.Errorf("Name() = %q; want Find3", f.Name())
	}
}

func TestCache1NotKey_ArgumentOfEachLoad(t *testing.T) {
	// A load of the method inside a load of the same method runs with the
	// argument of its own call, and a load without a cache with the
	// caller's.
	var f *reqcache.Func1NotKey[int64, traceOpts, string]
	f = reqcache.Cache1NotKey(Items, func(ctx context.Context, id int64, o traceOpts) (string, error) {
		if id == 0 {
			return o.Caller, nil
		}
		inner, err := f.Get(ctx, id-1, traceOpts{Caller: fmt.Sprint("inner", id-1)})
		return o.Caller + "/" + inner, err
	}, ItemID, Trace)
	tests := []struct {
		name string
		ctx  func() (context.Context, func())
		want string
	}{
		{"in a cache", func() (context.Context, func()) {
			ctx, c := reqcache.Scope(context.Background())
			return ctx, func() { c.Close() }
		}, "outer/inner1/inner0"},
		{"without a cache", func() (context.Context, func()) { return context.Background(), func() {} }, "outer/inner1/inner0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, done := tt.ctx()
			defer done()
			if got, err := f.Get(ctx, 2, traceOpts{Caller: "outer"}); err != nil || got != tt.want {
				t.Errorf("Get(2) = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestCacheNotKey_Misdeclarations(t *testing.T) {
	load1 := func(context.Context, int64, traceOpts) (item, error) { return item{}, nil }
	sameName := region.NewNotKey[string]("itemID") // the name of a parameter of another type
	tests := []struct {
		name string
		make func()
		want string
	}{
		{"nil NotKey, one key",
			func() { reqcache.Cache1NotKey(Items, load1, ItemID, nil, reqcache.Name("GetItem")) },
			`reqcache: GetItem: not-key argument 2 is nil`},
		{"nil NotKey, no key",
			func() {
				reqcache.Cache0NotKey(Items, func(context.Context, traceOpts) (item, error) { return item{}, nil }, nil, reqcache.Name("ListItems"))
			},
			`reqcache: ListItems: not-key argument 1 is nil`},
		{"NotKey named as a parameter",
			func() {
				reqcache.Cache1NotKey(Items, func(context.Context, int64, string) (item, error) { return item{}, nil }, ItemID, sameName, reqcache.Name("GetItem"))
			},
			`reqcache: GetItem: parameter itemID int64 of argument 1 and not-key argument 2 share the name "itemID"`},
		{"NotKey named as the second parameter",
			func() {
				reqcache.Cache2NotKey(Items, func(context.Context, string, int64, string) (item, error) { return item{}, nil }, Group, ItemID, sameName, reqcache.Name("Find"))
			},
			`reqcache: Find: parameter itemID int64 of argument 2 and not-key argument 3 share the name "itemID"`},
		{"NotKey named as the third parameter",
			func() {
				reqcache.Cache3NotKey(Items, func(context.Context, string, int, int64, string) (item, error) { return item{}, nil }, Group, Kind, ItemID, sameName, reqcache.Name("Find3"))
			},
			`reqcache: Find3: parameter itemID int64 of argument 3 and not-key argument 4 share the name "itemID"`},
		{"nil NotKey, three keys",
			func() {
				reqcache.Cache3NotKey(Items, func(context.Context, int64, string, int, traceOpts) (item, error) { return item{}, nil }, ItemID, Group, Kind, nil, reqcache.Name("Find3"))
			},
			`reqcache: Find3: not-key argument 4 is nil`},
		{"the keyed arguments are checked as in Cache2",
			func() {
				reqcache.Cache2NotKey(Items, func(context.Context, int64, int64, traceOpts) (item, error) { return item{}, nil }, ItemID, ItemID, Trace, reqcache.Name("Twice"))
			},
			`reqcache: Twice: parameter itemID int64 declared twice (arguments 1 and 2)`},
		{"an ID parameter must be keyed",
			func() {
				reqcache.Cache0NotKey(Items, func(context.Context, traceOpts) (item, error) { return item{}, nil }, Trace, reqcache.IDFromParam(ItemID), reqcache.Name("All"))
			},
			`reqcache: All: ID parameter itemID int64 is not a parameter of the method`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := panicText(tt.make); !strings.Contains(got, tt.want) {
				t.Errorf("panic = %q; want it to contain %q", got, tt.want)
			}
		})
	}
}

// Logger is passed to the repository's functions, but is no part of any
// cache key.
var Logger = region.NewNotKey[*slog.Logger]("logger")

// ExampleCache1NotKey wraps a repository method that takes a logger: calls
// that differ only in the logger are one call, loaded once, with the logger
// of the call that loads it.
func ExampleCache1NotKey() {
	getItem := func(ctx context.Context, id int64, log *slog.Logger) (item, error) {
		log.InfoContext(ctx, "query item", "id", id)
		return item{ID: id, Group: "tools"}, nil
	}
	byID := reqcache.Cache1NotKey(Items, getItem, ItemID, Logger, reqcache.Name("GetItem"))

	noTime := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	base := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime}))

	ctx, cache := reqcache.Scope(context.Background())
	defer cache.Close()
	for _, handler := range []string{"orders", "invoices"} {
		it, _ := byID.Get(ctx, 42, base.With("handler", handler))
		fmt.Println(handler, "got", it.ID, it.Group)
	}
	s := cache.Stats()
	fmt.Printf("loads=%d hits=%d\n", s.Loads, s.Hits)
	// Output:
	// level=INFO msg="query item" handler=orders id=42
	// orders got 42 tools
	// invoices got 42 tools
	// loads=1 hits=1
}
