package reqcache

import (
	"context"
	"database/sql"
	"errors"
)

// WithSQLTx runs fn in a transaction of db that the cache ctx carries is
// told about (see Begin): it begins the database transaction with opts,
// calls fn with a context that carries the cache's transaction, and
// commits both if fn returns no error, or rolls both back if fn returns an
// error or panics. The cached methods that fn calls with its context load
// through the transaction's rows, so read them with tx in fn's loaders, or
// keep writes and reads apart; the invalidations fn makes apply at once
// and again after the commit.
//
// WithSQLTx returns fn's error, or the error of beginning or committing.
func WithSQLTx(ctx context.Context, db *sql.DB, opts *sql.TxOptions, fn func(ctx context.Context, tx *sql.Tx) error) (err error) {
	stx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	tctx, tx := Begin(ctx)
	committed := false
	defer func() {
		if !committed { // fn failed or panicked, or the commit failed
			err = errors.Join(err, ignoreDone(stx.Rollback()))
			_ = tx.Rollback() // ours, and not ended
		}
	}()
	if err := fn(tctx, stx); err != nil {
		return err
	}
	if err := stx.Commit(); err != nil {
		return err
	}
	committed = true
	return tx.Commit()
}

// ignoreDone drops the error of rolling back a transaction that has ended.
func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}
