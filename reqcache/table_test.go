package reqcache_test

import (
	"context"
	"sync"
	"testing"

	"github.com/reqcache/reqcache/reqcache"
)

// TestTable_SpillRacingReads reads more keys than a method's table holds,
// from goroutines that each go through them in an order of their own, so
// that lock-free reads race with the table filling and with the first
// entries going to the shared store. Every read must see its own key's
// value, and every key must load once.
func TestTable_SpillRacingReads(t *testing.T) {
	const keys = 40 // more than a table's slots
	byID := reqcache.Cache1(Items, func(_ context.Context, id int64) (int64, error) {
		return 1000 + id, nil
	}, ItemID, reqcache.Name("spill-race"))
	for round := range 20 {
		ctx, c := reqcache.Scope(context.Background())
		var wg sync.WaitGroup
		for g := range 4 {
			spawn(&wg, func() {
				for i := range 2 * keys {
					k := int64((i*(2*g+1) + round) % keys)
					if v, err := byID.Get(ctx, k); err != nil || v != 1000+k {
						t.Errorf("Get(%d) = %d, %v; want %d, nil", k, v, err, 1000+k)
					}
				}
			})
		}
		wg.Wait()
		if s := c.Stats(); s.Loads != keys || s.Entries != keys {
			t.Errorf("round %d: Stats() = %d loads, %d entries; want %d and %d", round, s.Loads, s.Entries, keys, keys)
		}
		c.Close()
	}
}

// TestTable_ReusesFreedSlots checks that a table that lost entries to
// invalidations takes new ones in their slots, and that a key stored in
// the shared store is still found once the table has room again.
func TestTable_ReusesFreedSlots(t *testing.T) {
	loads := 0
	byID := reqcache.Cache1(Items, func(_ context.Context, id int64) (int64, error) {
		loads++
		return 1000 + id, nil
	}, ItemID, reqcache.Name("spill-reuse"))
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	get := func(k int64) {
		t.Helper()
		if v, err := byID.Get(ctx, k); err != nil || v != 1000+k {
			t.Errorf("Get(%d) = %d, %v; want %d, nil", k, v, err, 1000+k)
		}
	}
	for k := range int64(20) { // 16 in the table, 4 in the shared store
		get(k)
	}
	for k := range int64(4) {
		byID.Invalidate(ctx, k)
	}
	for k := int64(100); k < 104; k++ { // in the freed slots
		get(k)
	}
	before := loads
	for k := int64(4); k < 20; k++ { // hits in both tiers
		get(k)
	}
	for k := int64(100); k < 104; k++ {
		get(k)
	}
	if loads != before {
		t.Errorf("loads after reading stored keys = %d; want %d", loads, before)
	}
	if s := c.Stats(); s.Entries != 20 {
		t.Errorf("Stats().Entries = %d; want 20", s.Entries)
	}
}
