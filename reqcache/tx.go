package reqcache

import (
	"context"
	"errors"
)

// ErrTxDone is returned by Tx.Commit and Tx.Rollback for a transaction
// that has ended already.
var ErrTxDone = errors.New("reqcache: transaction has already been committed or rolled back")

// A Tx tells a Cache about a database transaction, so that the cache stays
// right across it:
//
//   - an invalidation made through the transaction's context applies at
//     once, so that reads inside the transaction see its writes, and again
//     when it commits, so that nothing loaded meanwhile through another
//     connection, which saw the old rows, outlives the commit;
//   - entries loaded through the transaction's context are dropped when it
//     rolls back, since they may hold rows that the rollback discarded, and
//     kept when it commits.
//
// Begin starts one; WithSQLTx does it around a database/sql transaction.
// Transactions nest, as savepoints do: an inner transaction that commits
// hands its invalidations and loads to the outer one, and one that rolls
// back drops what was loaded through it. A Tx is safe for concurrent use.
type Tx struct {
	c      *Cache
	parent *Tx

	// Guarded by c.mu.
	done    bool
	pending []pendingInvalidation
	loaded  []*entryBase
}

// pendingInvalidation is an invalidation a Tx applies again at commit.
type pendingInvalidation struct {
	kind     string
	describe func() string
	remove   func() int
}

// txKey is the context key of a Tx.
var txKey = &contextKey{"reqcache.Tx"}

// txContext is the context that carries a Tx.
type txContext struct {
	context.Context
	tx *Tx
}

func (t *txContext) Value(key any) any {
	if key == any(txKey) {
		return t.tx
	}
	return t.Context.Value(key)
}

// Begin returns a copy of ctx that carries a new transaction of the Cache
// ctx carries, nested in the transaction ctx carries if any, and the
// transaction. The caller must end it with Commit or Rollback, after the
// database transaction ended the same way. Without a Cache in ctx, the
// transaction does nothing.
func Begin(ctx context.Context) (context.Context, *Tx) {
	c := FromContext(ctx)
	tx := &Tx{c: c, parent: txFrom(ctx)}
	if c != nil {
		c.txs.Add(1)
	}
	return &txContext{ctx, tx}, tx
}

// txFrom returns the transaction ctx carries, or nil.
func txFrom(ctx context.Context) *Tx {
	tx, _ := ctx.Value(txKey).(*Tx)
	return tx
}

// end ends tx, and reports whether it was open.
func (tx *Tx) endLocked() bool {
	if tx.done {
		return false
	}
	tx.done = true
	tx.c.txs.Add(-1)
	return true
}

// Commit ends the transaction after the database committed it: it applies
// the transaction's invalidations again, or, in a transaction nested in an
// open one, hands them and its loads to that one. It returns ErrTxDone if
// the transaction has ended already.
func (tx *Tx) Commit() error {
	if tx.c == nil {
		return nil
	}
	c := tx.c
	c.mu.Lock()
	if !tx.endLocked() {
		c.mu.Unlock()
		return ErrTxDone
	}
	pending, loaded := tx.pending, tx.loaded
	tx.pending, tx.loaded = nil, nil
	if p := tx.outerLocked(); p != nil {
		p.pending = append(p.pending, pending...)
		p.loaded = append(p.loaded, loaded...)
		pending = nil
	}
	c.mu.Unlock()
	for _, inv := range pending {
		c.invalidate(context.Background(), inv.kind, inv.describe, inv.remove)
	}
	return nil
}

// Rollback ends the transaction after the database rolled it back: it
// drops the entries loaded through it, and those that depend on them. It
// returns ErrTxDone if the transaction has ended already.
func (tx *Tx) Rollback() error {
	if tx.c == nil {
		return nil
	}
	c := tx.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if !tx.endLocked() {
		return ErrTxDone
	}
	if !c.closedLocked() {
		for _, e := range tx.loaded {
			c.removeLocked(e, dropped)
		}
	}
	tx.pending, tx.loaded = nil, nil
	return nil
}

// outerLocked returns the innermost open transaction tx is nested in, or
// nil.
func (tx *Tx) outerLocked() *Tx {
	p := tx.parent
	for p != nil && p.done {
		p = p.parent
	}
	return p
}

// txLoading records, for the open transaction that fr's load runs in, that
// it loads entries.
func (c *Cache) txLoading(fr frame, entries []*entryBase) {
	tx := txFrom(fr.parentContext())
	if tx == nil || tx.c != c {
		return
	}
	c.mu.Lock()
	if !tx.done {
		tx.loaded = append(tx.loaded, entries...)
	}
	c.mu.Unlock()
}

// txInvalidated records an invalidation made with ctx for the open
// transaction ctx carries, to apply again at its commit.
func (c *Cache) txInvalidated(ctx context.Context, kind string, describe func() string, remove func() int) {
	tx := txFrom(ctx)
	if tx == nil || tx.c != c {
		return
	}
	c.mu.Lock()
	if !tx.done {
		tx.pending = append(tx.pending, pendingInvalidation{kind, describe, remove})
	}
	c.mu.Unlock()
}
