// Package store is the storefront's SQL repository: customers and orders in
// SQLite, plain queries, no caching. Every statement it runs is counted in
// the QueryCounter of its context, if there is one.
package store

import (
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"

	_ "modernc.org/sqlite" // the "sqlite" driver: pure Go, no cgo
)

// ErrNotFound is returned, wrapped, for an ID that names no row.
var ErrNotFound = errors.New("store: not found")

// A Customer buys from one of the stores.
type Customer struct {
	ID        int64  `json:"id"`
	StoreCode string `json:"storeCode"`
	Name      string `json:"name"`
	PreName   string `json:"preName"`
	Email     string `json:"email"`
}

// An Order is a customer's order. Customer is set only where an order is
// served with its customer; the store never sets it.
type Order struct {
	ID         int64     `json:"id"`
	CustomerID int64     `json:"customerId"`
	Status     string    `json:"status"`
	Total      int64     `json:"total"` // in cents
	Customer   *Customer `json:"customer,omitempty"`
}

// Store is the SQL repository. It is safe for concurrent use.
type Store struct {
	db *sql.DB
}

const schema = `
CREATE TABLE IF NOT EXISTS customers (
	id         INTEGER PRIMARY KEY,
	store_code TEXT NOT NULL,
	name       TEXT NOT NULL,
	pre_name   TEXT NOT NULL,
	email      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS customers_full_name ON customers (name, pre_name);
CREATE INDEX IF NOT EXISTS customers_pre_name ON customers (pre_name);
CREATE INDEX IF NOT EXISTS customers_store ON customers (store_code);
CREATE TABLE IF NOT EXISTS orders (
	id          INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
	status      TEXT NOT NULL,
	total       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_customer ON orders (customer_id);
`

// Open opens the SQLite database in the file at path, creating it and its
// schema if need be. The database is in WAL mode, so that readers do not
// wait for the writer, and a writer waits up to 5 seconds for another.
func Open(path string) (*Store, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: create schema in %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error {
	return s.db.Close()
}
