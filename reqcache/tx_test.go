package reqcache_test

import (
	"context"
	"errors"
	"testing"

	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

func txFixture(t *testing.T) (context.Context, *reqcache.Func1[int64, item]) {
	t.Helper()
	byID := reqcache.Cache1(Items, ctxItemOf, ItemID, reqcache.IDFromParam(ItemID), reqcache.Name("tx-byID"))
	ctx, c := reqcache.Scope(context.Background())
	t.Cleanup(c.Close)
	return ctx, byID
}

func mustGet(t *testing.T, ctx context.Context, f *reqcache.Func1[int64, item], id int64) {
	t.Helper()
	if _, err := f.Get(ctx, id); err != nil {
		t.Fatalf("Get(%d) error = %v", id, err)
	}
}

func wantHeld(t *testing.T, ctx context.Context, f *reqcache.Func1[int64, item], want map[int64]bool) {
	t.Helper()
	for id, w := range want {
		if _, ok := f.Peek(ctx, id); ok != w {
			t.Errorf("Peek(%d) = %v; want %v", id, ok, w)
		}
	}
}

// TestTx_InvalidationAppliesAgainAtCommit invalidates through a
// transaction, then loads the same ID through a context without it (as
// through another connection, which saw the old row): the commit removes it.
func TestTx_InvalidationAppliesAgainAtCommit(t *testing.T) {
	ctx, byID := txFixture(t)
	mustGet(t, ctx, byID, 1)
	txCtx, tx := reqcache.Begin(ctx)
	if n := invalidate.ID(txCtx, Items, 1); n != 1 {
		t.Errorf("invalidate.ID(1) in the tx = %d; want 1 at once", n)
	}
	mustGet(t, ctx, byID, 1) // loaded meanwhile outside the tx
	wantHeld(t, ctx, byID, map[int64]bool{1: true})
	if err := tx.Commit(); err != nil {
		t.Fatalf("Commit() = %v", err)
	}
	wantHeld(t, ctx, byID, map[int64]bool{1: false})
	if err := tx.Commit(); !errors.Is(err, reqcache.ErrTxDone) {
		t.Errorf("second Commit() = %v; want ErrTxDone", err)
	}
	if err := tx.Rollback(); !errors.Is(err, reqcache.ErrTxDone) {
		t.Errorf("Rollback() after Commit = %v; want ErrTxDone", err)
	}
}

// TestTx_LoadsDroppedAtRollbackKeptAtCommit loads through transactions:
// the rollback drops what was loaded through it, not what was loaded
// outside it; the commit keeps its loads.
func TestTx_LoadsDroppedAtRollbackKeptAtCommit(t *testing.T) {
	ctx, byID := txFixture(t)
	txCtx, tx := reqcache.Begin(ctx)
	mustGet(t, txCtx, byID, 2)
	mustGet(t, ctx, byID, 3)
	if err := tx.Rollback(); err != nil {
		t.Fatalf("Rollback() = %v", err)
	}
	wantHeld(t, ctx, byID, map[int64]bool{2: false, 3: true})

	txCtx, tx = reqcache.Begin(ctx)
	mustGet(t, txCtx, byID, 4)
	if err := tx.Commit(); err != nil {
		t.Fatalf("Commit() = %v", err)
	}
	wantHeld(t, ctx, byID, map[int64]bool{4: true})
}

// TestTx_Nested commits and rolls back transactions nested in an outer one:
// an inner commit hands its loads to the outer one, which drops them at its
// rollback; an inner rollback drops its own loads at once.
func TestTx_Nested(t *testing.T) {
	ctx, byID := txFixture(t)
	outerCtx, outer := reqcache.Begin(ctx)
	innerCtx, inner := reqcache.Begin(outerCtx)
	mustGet(t, innerCtx, byID, 5)
	if err := inner.Commit(); err != nil {
		t.Fatalf("inner Commit() = %v", err)
	}
	innerCtx, inner = reqcache.Begin(outerCtx)
	mustGet(t, innerCtx, byID, 6)
	if err := inner.Rollback(); err != nil {
		t.Fatalf("inner Rollback() = %v", err)
	}
	wantHeld(t, ctx, byID, map[int64]bool{5: true, 6: false})
	if err := outer.Rollback(); err != nil {
		t.Fatalf("outer Rollback() = %v", err)
	}
	wantHeld(t, ctx, byID, map[int64]bool{5: false})
}

// TestTx_NestedInvalidationReachesOuterCommit invalidates in an inner
// transaction that commits: the outer commit applies it again.
func TestTx_NestedInvalidationReachesOuterCommit(t *testing.T) {
	ctx, byID := txFixture(t)
	outerCtx, outer := reqcache.Begin(ctx)
	innerCtx, inner := reqcache.Begin(outerCtx)
	invalidate.ID(innerCtx, Items, 7)
	if err := inner.Commit(); err != nil {
		t.Fatalf("inner Commit() = %v", err)
	}
	mustGet(t, ctx, byID, 7) // loaded outside both
	if err := outer.Commit(); err != nil {
		t.Fatalf("outer Commit() = %v", err)
	}
	wantHeld(t, ctx, byID, map[int64]bool{7: false})
}

// TestTx_After1 writes through invalidate.After1 inside a transaction: the
// write's invalidation applies at once and again at commit.
func TestTx_After1(t *testing.T) {
	ctx, byID := txFixture(t)
	update := invalidate.After1(func(context.Context, int64) error { return nil },
		func(id int64) []region.Target { return []region.Target{Items.Tag(id)} })
	mustGet(t, ctx, byID, 8)
	txCtx, tx := reqcache.Begin(ctx)
	if err := update(txCtx, 8); err != nil {
		t.Fatalf("update(8) = %v", err)
	}
	wantHeld(t, ctx, byID, map[int64]bool{8: false})
	mustGet(t, ctx, byID, 8)
	if err := tx.Commit(); err != nil {
		t.Fatalf("Commit() = %v", err)
	}
	wantHeld(t, ctx, byID, map[int64]bool{8: false})
}
