package cached

import (
	"context"
	"errors"

	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// txKey is the context key of the store.Querier of the transaction that
// inTx runs, so that cached reads inside it load through it.
type txKey struct{}

// querier returns the querier of the transaction ctx is in, or the store.
func (r *Repo) querier(ctx context.Context) store.Querier {
	if q, ok := ctx.Value(txKey{}).(store.Querier); ok {
		return q
	}
	return r.db
}

// A txFunc is the work of a transaction. ctx carries the transaction, so
// that the cached methods called with it read through it; q runs the
// statements of the transaction directly. It returns the targets that its
// writes made stale.
type txFunc func(ctx context.Context, q store.Querier) ([]region.Target, error)

// errNestedWrite is the error of a read-write transaction inside another.
var errNestedWrite = errors.New("cached: a read-write transaction inside another")

// inTx is the repository's one transaction boundary: it runs fn in one
// database transaction of the given mode, told to the request cache with
// reqcache.Begin. The targets fn returns are invalidated inside the
// transaction, so that fn's later reads through the cached methods see its
// writes, and again when it commits, so that nothing loaded meanwhile
// through another connection outlives the commit. A rollback drops what fn
// loaded through the cached methods, which may hold rows the rollback
// discarded. A read-only transaction inside another joins it.
func (r *Repo) inTx(ctx context.Context, mode store.TxMode, fn txFunc) error {
	if q, ok := ctx.Value(txKey{}).(store.Querier); ok {
		if mode != store.ReadOnly {
			return errNestedWrite
		}
		_, err := fn(ctx, q)
		return err
	}
	ctx, tx := reqcache.Begin(ctx)
	err := r.db.InTx(ctx, mode, func(q store.Querier) error {
		qctx := context.WithValue(ctx, txKey{}, q)
		targets, err := fn(qctx, q)
		if err != nil {
			return err
		}
		_, err = reqcache.Invalidate(qctx, targets...)
		return err
	})
	if err != nil {
		_ = tx.Rollback() // the transaction is ours: it cannot have ended
		return err
	}
	return tx.Commit()
}
