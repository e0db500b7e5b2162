package store

import (
	"context"
	"errors"
	"fmt"
)

// schemaVersion is the version of the schema the statements are written
// for, kept in the table schema_version.
const schemaVersion = 1

// schema returns the schema's statements, with idColumn the type of a
// table's ID column and ref the type of a column that refers to one.
func schema(idColumn, ref string) []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS customers (
			id         ` + idColumn + `,
			store_code TEXT NOT NULL,
			name       TEXT NOT NULL,
			pre_name   TEXT NOT NULL,
			email      TEXT NOT NULL
		)`,
		`CREATE INDEX IF NOT EXISTS customers_full_name ON customers (name, pre_name)`,
		`CREATE INDEX IF NOT EXISTS customers_pre_name ON customers (pre_name)`,
		`CREATE INDEX IF NOT EXISTS customers_store ON customers (store_code)`,
		// ON DELETE CASCADE is the safety net: the app deletes a
		// customer's orders itself, in the customer's transaction.
		`CREATE TABLE IF NOT EXISTS orders (
			id          ` + idColumn + `,
			customer_id ` + ref + ` NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
			status      TEXT NOT NULL,
			total       BIGINT NOT NULL
		)`,
		`CREATE INDEX IF NOT EXISTS orders_customer ON orders (customer_id)`,
		`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`,
		fmt.Sprintf(`INSERT INTO schema_version (version)
			SELECT %d WHERE NOT EXISTS (SELECT 1 FROM schema_version)`, schemaVersion),
	}
}

// createSchema runs the statements of the schema in one transaction of s.
func createSchema(ctx context.Context, s Store, stmts []string) error {
	return s.InTx(ctx, ReadWrite, func(q Querier) error {
		c := q.(queries).c
		for _, stmt := range stmts {
			if _, err := c.exec(ctx, stmt); err != nil {
				return err
			}
		}
		return nil
	})
}

// check returns an error unless the schema of s is at schemaVersion and s
// takes writes: it rewrites the version, in a transaction it rolls back.
func check(ctx context.Context, s Store) error {
	errRollback := errors.New("store: rollback")
	err := s.InTx(ctx, ReadWrite, func(q Querier) error {
		c := q.(queries).c
		var v int
		if err := q.(queries).queryRow(ctx, `SELECT version FROM schema_version`, nil, &v); err != nil {
			return fmt.Errorf("store: %s: reading the schema version: %w", s.Name(), err)
		}
		if v != schemaVersion {
			return fmt.Errorf("store: %s: schema version %d; want %d", s.Name(), v, schemaVersion)
		}
		if _, err := c.exec(ctx, `UPDATE schema_version SET version = version`); err != nil {
			return fmt.Errorf("store: %s does not take writes: %w", s.Name(), err)
		}
		return errRollback
	})
	if err == errRollback {
		return nil
	}
	return err
}
