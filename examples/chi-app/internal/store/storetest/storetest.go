// Package storetest opens fresh databases of both kinds for tests: SQLite
// files in a test's temporary directory, and schemas of their own in the
// PostgreSQL database that the environment variable EnvPostgres names.
// Tests of PostgreSQL skip, saying why, when it is not set.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
)

// EnvPostgres is the environment variable that holds the URL of a
// PostgreSQL database the tests may create schemas in, such as
// postgres://user@127.0.0.1:5432/postgres. .ci/run starts a throwaway
// cluster and sets it.
const EnvPostgres = "REQCACHE_TEST_POSTGRES"

// The kinds of database.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Kinds are the kinds of database, to run a test on each with t.Run.
var Kinds = []string{SQLite, Postgres}

// DSN returns the name of a fresh, empty database of the given kind for t,
// as store.Open takes it: a file in t.TempDir(), or the database of
// EnvPostgres with a search_path of a schema of its own, dropped when t
// ends. It skips t for Postgres if EnvPostgres is not set.
func DSN(t testing.TB, kind string) string {
	t.Helper()
	switch kind {
	case SQLite:
		return filepath.Join(t.TempDir(), "shop.db")
	case Postgres:
		return postgresSchema(t)
	}
	t.Fatalf("storetest: unknown kind %q", kind)
	return ""
}

// postgresSchema creates a schema for t, and returns the URL that uses it.
func postgresSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Skipf("storetest: %s is not set, so there is no PostgreSQL to test against (.ci/run starts one)", EnvPostgres)
	}
	b := make([]byte, 8)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	Exec(t, base, `CREATE SCHEMA `+schema)
	t.Cleanup(func() { Exec(t, base, `DROP SCHEMA `+schema+` CASCADE`) })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("storetest: %s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open returns a fresh store of the given kind, seeded with customers
// customers, and closed when t ends.
func Open(t testing.TB, kind string, customers int) (store.Store, string) {
	t.Helper()
	dsn := DSN(t, kind)
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Seed(context.Background(), customers); err != nil {
		t.Fatal(err)
	}
	return s, dsn
}

// Exec runs statements on the database dsn names, on a connection of its
// own: for what a test sets up behind the store's back.
func Exec(t testing.TB, dsn string, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	if store.IsPostgres(dsn) {
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatalf("storetest: %v", err)
		}
		defer c.Close(ctx)
		for _, s := range stmts {
			if _, err := c.Exec(ctx, s); err != nil {
				t.Fatalf("storetest: %s: %v", s, err)
			}
		}
		return
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("storetest: %s: %v", s, err)
		}
	}
}

// RefuseDelete makes the database dsn names refuse, with an error, to
// delete the customer with the given ID: a trigger that fails the
// statement.
func RefuseDelete(t testing.TB, dsn string, id int64) {
	t.Helper()
	if store.IsPostgres(dsn) {
		Exec(t, dsn,
			`CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS
			 $$ BEGIN RAISE EXCEPTION 'storetest: delete refused'; END $$`,
			`CREATE TRIGGER refuse_delete BEFORE DELETE ON customers FOR EACH ROW
			 WHEN (OLD.id = `+itoa(id)+`) EXECUTE FUNCTION refuse_delete()`)
		return
	}
	Exec(t, dsn, `CREATE TRIGGER refuse_delete BEFORE DELETE ON customers
		WHEN OLD.id = `+itoa(id)+` BEGIN SELECT RAISE(ABORT, 'storetest: delete refused'); END`)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
