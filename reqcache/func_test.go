package reqcache_test

import (
	"context"
	"errors"
	"testing"

	"github.com/reqcache/reqcache/reqcache"
)

func TestFunc1_GetLoadsEachArgumentOnce(t *testing.T) {
	fn, loads := counted(itemOf)
	byID := reqcache.Cache1(Items, fn, ItemID)
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()

	for _, id := range []int64{1, 2, 1, 3, 2, 1} {
		got, err := byID.Get(ctx, id)
		if want, _ := itemOf(id); err != nil || got != want {
			t.Fatalf("Get(%v) = %v, %v; want %v, nil", id, got, err, want)
		}
	}
	if got := loads.Load(); got != 3 {
		t.Errorf("loads = %d; want 3", got)
	}
	want := reqcache.Stats{Hits: 3, Misses: 3, Loads: 3, Entries: 3}
	if got := c.Stats(); got != want {
		t.Errorf("Stats() = %+v; want %+v", got, want)
	}
}

func TestFunc1_PassThrough(t *testing.T) {
	closed := func() context.Context {
		ctx, c := reqcache.Scope(context.Background())
		c.Close()
		return ctx
	}
	tests := []struct {
		name string
		ctx  context.Context
	}{
		{"no cache", context.Background()},
		{"closed cache", closed()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fn, loads := counted(itemOf)
			byID := reqcache.Cache1(Items, fn, ItemID)
			for range 3 {
				if got, err := byID.Get(tt.ctx, 7); err != nil || got.ID != 7 {
					t.Fatalf("Get(7) = %v, %v; want item 7", got, err)
				}
			}
			if got := loads.Load(); got != 3 {
				t.Errorf("loads = %d; want 3: every call passes through", got)
			}
			if _, ok := byID.Peek(tt.ctx, 7); ok {
				t.Errorf("Peek(7) = _, true; want false")
			}
			if byID.Prime(tt.ctx, 7, item{}) {
				t.Errorf("Prime(7) = true; want false")
			}
			if byID.Invalidate(tt.ctx, 7) != 0 || byID.InvalidateAll(tt.ctx) != 0 {
				t.Errorf("Invalidate or Clear removed something without a cache")
			}
			if got, err := byID.Refresh(tt.ctx, 7); err != nil || got.ID != 7 {
				t.Errorf("Refresh(7) = %v, %v; want item 7", got, err)
			}
		})
	}
}

func TestFunc1_ErrorsAreNotCachedByDefault(t *testing.T) {
	fn, loads := counted(func(id int64) (item, error) { return item{}, errBoom })
	byID := reqcache.Cache1(Items, fn, ItemID)
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()

	for range 2 {
		if _, err := byID.Get(ctx, 1); !errors.Is(err, errBoom) {
			t.Fatalf("Get(1) error = %v; want %v", err, errBoom)
		}
	}
	if got := loads.Load(); got != 2 {
		t.Errorf("loads = %d; want 2", got)
	}
	if s := c.Stats(); s.Errors != 2 || s.Entries != 0 {
		t.Errorf("Stats() = %+v; want 2 errors, 0 entries", s)
	}
}

func TestFunc1_CacheErrors(t *testing.T) {
	errNotFound := errors.New("not found")
	tests := []struct {
		name      string
		err       error
		wantLoads int64
	}{
		{"kept error", errNotFound, 1},
		{"other error", errBoom, 2},
		{"context error", context.Canceled, 2},
		{"wrapped context error", errors.Join(errNotFound, context.DeadlineExceeded), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fn, loads := counted(func(int64) (item, error) { return item{}, tt.err })
			keep := func(err error) bool { return errors.Is(err, errNotFound) }
			byID := reqcache.Cache1(Items, fn, ItemID, reqcache.CacheErrors(keep))
			ctx, c := reqcache.Scope(context.Background())
			defer c.Close()
			for range 2 {
				if _, err := byID.Get(ctx, 1); !errors.Is(err, tt.err) {
					t.Fatalf("Get(1) error = %v; want %v", err, tt.err)
				}
			}
			if got := loads.Load(); got != tt.wantLoads {
				t.Errorf("loads = %d; want %d", got, tt.wantLoads)
			}
		})
	}
}

func TestFunc1_InvalidateRefreshPeekPrimeClear(t *testing.T) {
	version := int64(0)
	fn, loads := counted(func(id int64) (item, error) { return item{ID: id, Version: version}, nil })
	byID := reqcache.Cache1(Items, fn, ItemID)
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()

	get := func(id, want int64) {
		t.Helper()
		if got, err := byID.Get(ctx, id); err != nil || got.Version != want {
			t.Fatalf("Get(%v) = %+v, %v; want version %d", id, got, err, want)
		}
	}
	get(1, 0)
	get(2, 0)
	if v, ok := byID.Peek(ctx, 1); !ok || v.ID != 1 {
		t.Errorf("Peek(1) = %v, %v; want item 1, true", v, ok)
	}
	if _, ok := byID.Peek(ctx, 3); ok {
		t.Errorf("Peek(3) = _, true; want false: never loaded")
	}

	version = 1
	get(1, 0) // still cached
	if n := byID.Invalidate(ctx, 1); n != 1 {
		t.Errorf("Invalidate(1) = %d; want 1", n)
	}
	if n := byID.Invalidate(ctx, 1); n != 0 {
		t.Errorf("Invalidate(1) again = %d; want 0", n)
	}
	get(1, 1) // read-your-writes
	get(2, 0) // untouched

	version = 2
	if got, err := byID.Refresh(ctx, 2); err != nil || got.Version != 2 {
		t.Errorf("Refresh(2) = %+v, %v; want version 2", got, err)
	}
	get(2, 2)

	if !byID.Prime(ctx, 5, item{ID: 5, Version: 9}) {
		t.Errorf("Prime(5) = false; want true")
	}
	get(5, 9)
	if n := byID.InvalidateAll(ctx); n != 3 {
		t.Errorf("Clear() = %d; want 3", n)
	}
	before := loads.Load()
	get(5, 2)
	if got := loads.Load() - before; got != 1 {
		t.Errorf("loads after Clear = %d; want 1", got)
	}
}

func TestFunc0(t *testing.T) {
	n := int64(0)
	all := reqcache.Cache0(Items, func(context.Context) (int64, error) { n++; return n, nil })
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()

	check := func(step string, got int64, err error, want int64) {
		t.Helper()
		if err != nil || got != want {
			t.Errorf("%s = %v, %v; want %v", step, got, err, want)
		}
	}
	got, err := all.Get(ctx)
	check("Get()", got, err, 1)
	got, err = all.Get(ctx)
	check("Get() again", got, err, 1)
	all.Invalidate(ctx)
	got, err = all.Get(ctx)
	check("Get() after Invalidate", got, err, 2)
	got, err = all.Refresh(ctx)
	check("Refresh()", got, err, 3)
	all.Prime(ctx, 10)
	got, _ = all.Peek(ctx)
	check("Peek() after Prime(10)", got, nil, 10)
}

func TestFunc2_ArgumentsKeyInOrder(t *testing.T) {
	fn := func(_ context.Context, a, b string) (string, error) { return a + "/" + b, nil }
	f := reqcache.Cache2(Items, fn, Group, Label)
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()

	tests := []struct{ a, b, want string }{
		{"a", "b", "a/b"},
		{"b", "a", "b/a"},
		{"ab", "", "ab/"},
		{"", "ab", "/ab"},
		{"a", "b", "a/b"},
	}
	for _, tt := range tests {
		if got, err := f.Get(ctx, tt.a, tt.b); err != nil || got != tt.want {
			t.Errorf("Get(%q, %q) = %q, %v; want %q", tt.a, tt.b, got, err, tt.want)
		}
	}
	if s := c.Stats(); s.Loads != 4 || s.Hits != 1 {
		t.Errorf("Stats() = %+v; want 4 loads, 1 hit", s)
	}
}

func TestFunc3(t *testing.T) {
	fn, loads := counted(func(k [3]int64) (int64, error) { return k[0] + k[1] + k[2], nil })
	f := reqcache.Cache3(Items, func(ctx context.Context, a int64, b string, c int) (int64, error) {
		return fn(ctx, [3]int64{a, int64(len(b)), int64(c)})
	}, ItemID, Group, Kind)
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()

	for range 2 {
		if got, err := f.Get(ctx, 1, "ab", 3); err != nil || got != 6 {
			t.Fatalf("Get(1, ab, 3) = %v, %v; want 6", got, err)
		}
	}
	if got, _ := f.Get(ctx, 1, "ab", 4); got != 7 {
		t.Errorf("Get(1, ab, 4) = %v; want 7", got)
	}
	if loads.Load() != 2 {
		t.Errorf("loads = %d; want 2", loads.Load())
	}
	if f.Invalidate(ctx, 1, "ab", 3) != 1 || f.InvalidateAll(ctx) != 1 {
		t.Errorf("Invalidate then Clear did not remove one entry each")
	}
}
