package reqcache_test

import (
	"context"
	"testing"

	"github.com/reqcache/reqcache/reqcache"
)

// Stats is read once per request by the middleware's Server-Timing and by
// observers: it must not allocate, open or closed.
func TestStats_DoesNotAllocate(t *testing.T) {
	get, _ := counted(itemOf)
	byID := reqcache.Cache1(Items, get, ItemID)
	byGroup := reqcache.Cache1(Items, func(_ context.Context, g string) (item, error) { return item{Group: g}, nil }, Group)
	ctx, c := reqcache.Scope(context.Background())
	byID.Get(ctx, 1)
	byID.Get(ctx, 1)
	byGroup.Get(ctx, "g")
	want := reqcache.Stats{Hits: 1, Misses: 2, Loads: 2, Entries: 2}
	for _, closed := range []bool{false, true} {
		if closed {
			c.Close()
			want.Entries = 0
		}
		if s := c.Stats(); s != want {
			t.Errorf("Stats() closed=%v = %+v; want %+v", closed, s, want)
		}
		if n := testing.AllocsPerRun(100, func() { c.Stats() }); n != 0 {
			t.Errorf("Stats() closed=%v allocates %v times; want 0", closed, n)
		}
	}
}
