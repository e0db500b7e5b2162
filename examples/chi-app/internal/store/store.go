// Package store is the storefront's SQL repository: customers and orders,
// plain queries, no caching, in SQLite or in PostgreSQL. Both run the same
// statements through the Querier interface; what differs between them
// (drivers, transactions, schema types, seeding) stays behind Open.
//
// Every statement is counted in the QueryCounter of its context, if there
// is one.
package store

import (
	"context"
	"errors"
	"strings"
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

// A Querier runs the storefront's statements, one SQL statement per
// method, on a database or inside one of its transactions.
type Querier interface {
	// Customer returns the customer with the given ID.
	Customer(ctx context.Context, id int64) (Customer, error)
	// CustomersByIDs returns the customers with the given IDs, by ID. IDs
	// that name no customer are left out.
	CustomersByIDs(ctx context.Context, ids []int64) (map[int64]Customer, error)
	// CustomersByFullName returns the customers with the given name and
	// preName, by ID.
	CustomersByFullName(ctx context.Context, name, preName string) ([]Customer, error)
	// CustomersOfStore returns the customers of the store, by ID.
	CustomersOfStore(ctx context.Context, storeCode string) ([]Customer, error)
	// Order returns the order with the given ID, without its customer.
	Order(ctx context.Context, id int64) (Order, error)
	// OrdersOfCustomer returns the orders of the customer, newest first.
	OrdersOfCustomer(ctx context.Context, customerID int64) ([]Order, error)
	// RecentOrders returns the limit most recent orders, newest first.
	RecentOrders(ctx context.Context, limit int) ([]Order, error)

	// CreateCustomer stores a new customer, and returns it with its ID.
	CreateCustomer(ctx context.Context, c Customer) (Customer, error)
	// UpdateCustomer stores c in place of the customer with its ID.
	UpdateCustomer(ctx context.Context, c Customer) error
	// DeleteCustomer deletes the customer with the given ID. Orders it
	// still has are deleted with it by the schema's ON DELETE CASCADE.
	DeleteCustomer(ctx context.Context, id int64) error
	// DeleteCustomersByPreName deletes the customers with the given
	// preName, and returns how many it deleted.
	DeleteCustomersByPreName(ctx context.Context, preName string) (int64, error)
	// DeleteOrdersOfCustomer deletes the orders of the customer, and
	// returns how many it deleted.
	DeleteOrdersOfCustomer(ctx context.Context, customerID int64) (int64, error)
	// DeleteOrdersByPreName deletes the orders of the customers with the
	// given preName, and returns how many it deleted.
	DeleteOrdersByPreName(ctx context.Context, preName string) (int64, error)
	// CreateOrder stores a new order, and returns it with its ID. It
	// returns ErrNotFound, wrapped, if o.CustomerID names no customer.
	CreateOrder(ctx context.Context, o Order) (Order, error)
}

// A TxMode says what a transaction may do.
type TxMode int

const (
	// ReadWrite transactions may write. Their statements see the rows
	// other transactions committed before each statement began.
	ReadWrite TxMode = iota
	// ReadOnly transactions only read, and all their statements see one
	// snapshot of the database: the one of their first statement.
	ReadOnly
)

// A Store is a database of the storefront. Its methods are safe for
// concurrent use.
type Store interface {
	// Querier runs each statement on its own, outside any transaction.
	Querier
	// InTx runs fn in one transaction of the given mode, and commits it if
	// fn returns nil, or rolls it back and returns fn's error. q runs its
	// statements in the transaction, and must not be used after fn
	// returns.
	InTx(ctx context.Context, mode TxMode, fn func(q Querier) error) error
	// Seed fills an empty database with customers customers, made by
	// SeedCustomer, and OrdersPerCustomer times as many orders: the same
	// rows, with the same IDs, every time and in both databases. It does
	// nothing if the database holds customers, and reports whether it
	// seeded.
	Seed(ctx context.Context, customers int) (bool, error)
	// Check returns an error, naming the database, unless the database
	// has the storefront's schema and takes writes.
	Check(ctx context.Context) error
	// Ping returns an error, naming the database, unless the database
	// answers: for SQLite, also unless its file is still the one opened.
	Ping(ctx context.Context) error
	// Name returns the database's file name or URL, without a password,
	// for messages.
	Name() string
	// Close closes the database.
	Close() error
}

// Open opens the database that dsn names, and creates the schema in it if
// need be: a postgres:// or postgresql:// URL is a PostgreSQL database;
// anything else the name of a SQLite file, which is created if it does not
// exist. It then checks the database, as Store.Check does.
func Open(ctx context.Context, dsn string) (Store, error) {
	var (
		s   Store
		err error
	)
	if IsPostgres(dsn) {
		s, err = openPostgres(ctx, dsn)
	} else {
		s, err = openSQLite(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := s.Check(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}
