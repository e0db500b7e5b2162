package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteStore is a Store in a SQLite file.
type sqliteStore struct {
	queries
	db   *sql.DB
	path string      // absolute
	file os.FileInfo // the file as opened, to tell if it is replaced
}

var sqliteDialect = &dialect{
	inIDs: `id IN (SELECT value FROM json_each($1))`,
	idsArg: func(ids []int64) (any, error) {
		b, err := json.Marshal(ids)
		return string(b), err
	},
	isForeignKeyViolation: func(err error) bool {
		var e *sqlite.Error
		return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	},
}

// openSQLite opens the SQLite database in the file at path, creating the
// file first if it does not exist. The database is in WAL mode, so that
// readers do not wait for the writer, and a writer waits up to 5 seconds
// for another. Connections are opened in read-write mode without create:
// if the file is deleted while the app runs, new connections fail instead
// of making a new, empty database.
func openSQLite(ctx context.Context, path string) (*sqliteStore, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: sqlite file %s: %w", path, err)
	}
	if err := createFile(abs); err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Set("mode", "rw")
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate") // read-only transactions begin deferred
	dsn := (&url.URL{Scheme: "file", Path: abs, RawQuery: q.Encode()}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: sqlite file %s: %w", abs, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	s := &sqliteStore{queries: queries{sqlConn{db}, sqliteDialect}, db: db, path: abs}
	if s.file, err = os.Stat(abs); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: sqlite file %s: %w", abs, err)
	}
	if err := createSchema(ctx, s, schema("INTEGER PRIMARY KEY", "INTEGER")); err != nil {
		db.Close()
		var e *sqlite.Error
		if errors.As(err, &e) && e.Code() == sqlite3.SQLITE_NOTADB {
			return nil, fmt.Errorf("store: %s is not a SQLite database: %w", abs, err)
		}
		return nil, fmt.Errorf("store: creating the schema in %s: %w", abs, err)
	}
	return s, nil
}

// createFile creates an empty file at path, an empty SQLite database, if
// there is nothing there, and returns an error that names path if it is
// not a regular file or cannot be made.
func createFile(path string) error {
	fi, err := os.Stat(path)
	switch {
	case err == nil && !fi.Mode().IsRegular():
		return fmt.Errorf("store: %s is not a regular file; want a SQLite database file", path)
	case err == nil:
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("store: sqlite file %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("store: creating sqlite file %s: %w", path, err)
	}
	return f.Close()
}

func (s *sqliteStore) InTx(ctx context.Context, mode TxMode, fn func(q Querier) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: mode == ReadOnly})
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback() // after Commit, a no-op; after a panic of fn, needed
	if err := fn(queries{sqlConn{tx}, sqliteDialect}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

func (s *sqliteStore) Seed(ctx context.Context, customers int) (seeded bool, err error) {
	err = s.InTx(ctx, ReadWrite, func(q Querier) error {
		seeded, err = seed(ctx, q.(queries), customers, nil)
		return err
	})
	return seeded, err
}

func (s *sqliteStore) Check(ctx context.Context) error {
	if err := s.Ping(ctx); err != nil {
		return err
	}
	return check(ctx, s)
}

func (s *sqliteStore) Ping(ctx context.Context) error {
	fi, err := os.Stat(s.path)
	if err != nil {
		return fmt.Errorf("store: sqlite file %s: %w", s.path, err)
	}
	if !os.SameFile(fi, s.file) {
		return fmt.Errorf("store: sqlite file %s was replaced since it was opened", s.path)
	}
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("store: sqlite file %s: %w", s.path, err)
	}
	return nil
}

func (s *sqliteStore) Name() string { return s.path }

func (s *sqliteStore) Close() error { return s.db.Close() }

// sqlConn is a conn of database/sql: a *sql.DB or a *sql.Tx.
type sqlConn struct {
	db interface {
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
		ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	}
}

func (c sqlConn) query(ctx context.Context, sql string, args ...any) (rows, error) {
	rs, err := c.db.QueryContext(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rs}, nil
}

func (c sqlConn) exec(ctx context.Context, sql string, args ...any) (int64, error) {
	res, err := c.db.ExecContext(ctx, sql, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// sqlRows are *sql.Rows whose Close returns nothing, as pgx's.
type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }
