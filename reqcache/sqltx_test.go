package reqcache_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync"
	"testing"

	"github.com/reqcache/reqcache/reqcache"
)

// fakeDriver is a database/sql driver whose transactions only record how
// they ended.
type fakeDriver struct {
	mu        sync.Mutex
	ended     []string
	commitErr error
}

func (d *fakeDriver) Open(string) (driver.Conn, error) { return &fakeConn{d}, nil }

type fakeConn struct{ d *fakeDriver }

func (c *fakeConn) Prepare(string) (driver.Stmt, error) {
	return nil, errors.New("fake: no statements")
}
func (c *fakeConn) Close() error              { return nil }
func (c *fakeConn) Begin() (driver.Tx, error) { return &fakeTx{c.d}, nil }

type fakeTx struct{ d *fakeDriver }

func (t *fakeTx) Commit() error {
	t.d.mu.Lock()
	defer t.d.mu.Unlock()
	t.d.ended = append(t.d.ended, "commit")
	return t.d.commitErr
}

func (t *fakeTx) Rollback() error {
	t.d.mu.Lock()
	defer t.d.mu.Unlock()
	t.d.ended = append(t.d.ended, "rollback")
	return nil
}

var fakeDrivers sync.Map // name → *fakeDriver

func openFake(t *testing.T) (*sql.DB, *fakeDriver) {
	t.Helper()
	d := &fakeDriver{}
	name := "reqcachefake-" + t.Name()
	if _, loaded := fakeDrivers.LoadOrStore(name, d); !loaded {
		sql.Register(name, d)
	}
	v, _ := fakeDrivers.Load(name)
	d = v.(*fakeDriver) // registered once per name: -count runs share it
	d.ended, d.commitErr = nil, nil
	db, err := sql.Open(name, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, d
}

func TestWithSQLTx(t *testing.T) {
	errFn := errors.New("fn failed")
	tests := []struct {
		name       string
		fn         func(ctx context.Context, byID *reqcache.Func1[int64, int64]) error
		commitErr  error
		wantErr    error
		wantEnded  string
		wantCached bool // the value loaded inside is cached after
	}{
		{"commit", func(ctx context.Context, byID *reqcache.Func1[int64, int64]) error {
			_, err := byID.Get(ctx, 1)
			return err
		}, nil, nil, "commit", true},
		{"fn fails", func(ctx context.Context, byID *reqcache.Func1[int64, int64]) error {
			_, _ = byID.Get(ctx, 1)
			return errFn
		}, nil, errFn, "rollback", false},
		{"commit fails", func(ctx context.Context, byID *reqcache.Func1[int64, int64]) error {
			_, err := byID.Get(ctx, 1)
			return err
		}, driver.ErrBadConn, driver.ErrBadConn, "commit", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, d := openFake(t)
			d.commitErr = tt.commitErr
			byID := reqcache.Cache1(Items, func(_ context.Context, id int64) (int64, error) { return id, nil }, ItemID)
			ctx, c := reqcache.Scope(context.Background())
			defer c.Close()
			err := reqcache.WithSQLTx(ctx, db, nil, func(ctx context.Context, _ *sql.Tx) error { return tt.fn(ctx, byID) })
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("WithSQLTx() = %v; want %v", err, tt.wantErr)
			}
			if len(d.ended) == 0 || d.ended[0] != tt.wantEnded {
				t.Errorf("database transaction ended with %v; want %s first", d.ended, tt.wantEnded)
			}
			if _, ok := byID.Peek(ctx, 1); ok != tt.wantCached {
				t.Errorf("Peek(1) after WithSQLTx = %v; want %v", ok, tt.wantCached)
			}
		})
	}
}

func TestWithSQLTx_Panic(t *testing.T) {
	db, d := openFake(t)
	byID := reqcache.Cache1(Items, func(_ context.Context, id int64) (int64, error) { return id, nil }, ItemID)
	ctx, c := reqcache.Scope(context.Background())
	defer c.Close()
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v; want boom", r)
			}
		}()
		_ = reqcache.WithSQLTx(ctx, db, nil, func(ctx context.Context, _ *sql.Tx) error {
			_, _ = byID.Get(ctx, 1)
			panic("boom")
		})
	}()
	if len(d.ended) != 1 || d.ended[0] != "rollback" {
		t.Errorf("database transaction ended with %v; want rollback", d.ended)
	}
	if _, ok := byID.Peek(ctx, 1); ok {
		t.Errorf("Peek(1) after a panic in the transaction = true; want the load dropped")
	}
}
