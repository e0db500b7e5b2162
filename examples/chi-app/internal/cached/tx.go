package cached

import (
	"context"
	"errors"

	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/region"
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
// database transaction of the given mode, and invalidates the targets fn
// returns once, and only if, the transaction committed. A read-only
// transaction inside another joins it.
//
// A write's fn writes through q, not through cached methods: an entry it
// loaded inside the transaction would outlive a rollback. Read-only
// transactions may read through the cached methods: what they load was
// committed.
//
// The core's transactions (reqcache.Begin) plug in here, and nowhere
// else:
//
//   - before r.db.InTx: ctx, tx := reqcache.Begin(ctx), and pass that ctx
//     on, so that what fn loads through the cached methods belongs to tx;
//   - inside the callback, after fn: reqcache.Invalidate(ctx, targets...),
//     which applies at once (or fn invalidates after each of its writes);
//   - after r.db.InTx: tx.Rollback() if it failed, which drops what fn
//     loaded, else tx.Commit(), which applies the invalidations again and
//     replaces the invalidate.Targets call below.
//
// With them, a write's fn may read its own writes through the cached
// methods.
func (r *Repo) inTx(ctx context.Context, mode store.TxMode, fn txFunc) error {
	if q, ok := ctx.Value(txKey{}).(store.Querier); ok {
		if mode != store.ReadOnly {
			return errNestedWrite
		}
		_, err := fn(ctx, q)
		return err
	}
	var targets []region.Target
	err := r.db.InTx(ctx, mode, func(q store.Querier) error {
		var err error
		targets, err = fn(context.WithValue(ctx, txKey{}, q), q)
		return err
	})
	if err != nil {
		return err // rolled back: nothing to invalidate
	}
	_, err = invalidate.Targets(ctx, targets...)
	return err
}
