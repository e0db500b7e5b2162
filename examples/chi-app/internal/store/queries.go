package store

import (
	"context"
	"errors"
	"fmt"
)

// A conn runs statements: a database's pool or one of its transactions,
// through either driver.
type conn interface {
	query(ctx context.Context, sql string, args ...any) (rows, error)
	// exec runs a statement, and returns the number of rows it changed.
	exec(ctx context.Context, sql string, args ...any) (int64, error)
}

// rows are the rows of a query, as both drivers give them.
type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// A dialect is what the statements of the two databases do not share.
type dialect struct {
	// inIDs is a condition on the column id that holds for the IDs of
	// the argument $1 that idsArg makes.
	inIDs  string
	idsArg func(ids []int64) (any, error)
	// isForeignKeyViolation reports whether err is the violation of a
	// foreign key constraint.
	isForeignKeyViolation func(err error) bool
}

// queries implements Querier with the same statements, written with $1
// placeholders, on both databases.
type queries struct {
	c conn
	d *dialect
}

// errNoRows is the error of a query for one row that found none.
var errNoRows = errors.New("store: no rows")

// queryRow runs a query for one row, and scans it into dest.
func (q queries) queryRow(ctx context.Context, sql string, args []any, dest ...any) error {
	rs, err := q.c.query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	if !rs.Next() {
		if err := rs.Err(); err != nil {
			return err
		}
		return errNoRows
	}
	if err := rs.Scan(dest...); err != nil {
		return err
	}
	rs.Close()
	return rs.Err()
}

// queryAll runs a query, and returns its rows as scanned by scan. The
// result is never nil.
func queryAll[T any](ctx context.Context, q queries, scan func(rows) (T, error), sql string, args ...any) ([]T, error) {
	count(ctx)
	rs, err := q.c.query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	list := []T{}
	for rs.Next() {
		v, err := scan(rs)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	return list, rs.Err()
}

const customerColumns = `id, store_code, name, pre_name, email`

func scanCustomer(rs rows) (Customer, error) {
	var c Customer
	err := rs.Scan(&c.ID, &c.StoreCode, &c.Name, &c.PreName, &c.Email)
	return c, err
}

const orderColumns = `id, customer_id, status, total`

func scanOrder(rs rows) (Order, error) {
	var o Order
	err := rs.Scan(&o.ID, &o.CustomerID, &o.Status, &o.Total)
	return o, err
}

// one wraps the error of a query for one row as the error of what:
// ErrNotFound if it found none.
func one(err error, what string, id int64) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errNoRows):
		return fmt.Errorf("store: %s %d: %w", what, id, ErrNotFound)
	default:
		return fmt.Errorf("store: %s %d: %w", what, id, err)
	}
}

func (q queries) Customer(ctx context.Context, id int64) (Customer, error) {
	count(ctx)
	var c Customer
	err := q.queryRow(ctx, `SELECT `+customerColumns+` FROM customers WHERE id = $1`, []any{id},
		&c.ID, &c.StoreCode, &c.Name, &c.PreName, &c.Email)
	return c, one(err, "customer", id)
}

func (q queries) CustomersByIDs(ctx context.Context, ids []int64) (map[int64]Customer, error) {
	m := make(map[int64]Customer, len(ids))
	if len(ids) == 0 {
		return m, nil
	}
	arg, err := q.d.idsArg(ids)
	if err != nil {
		return nil, fmt.Errorf("store: customers by IDs: %w", err)
	}
	cs, err := queryAll(ctx, q, scanCustomer, `SELECT `+customerColumns+` FROM customers WHERE `+q.d.inIDs, arg)
	if err != nil {
		return nil, fmt.Errorf("store: customers by IDs: %w", err)
	}
	for _, c := range cs {
		m[c.ID] = c
	}
	return m, nil
}

func (q queries) CustomersByFullName(ctx context.Context, name, preName string) ([]Customer, error) {
	cs, err := queryAll(ctx, q, scanCustomer,
		`SELECT `+customerColumns+` FROM customers WHERE name = $1 AND pre_name = $2 ORDER BY id`, name, preName)
	if err != nil {
		return nil, fmt.Errorf("store: customers named %.40q %.40q: %w", name, preName, err)
	}
	return cs, nil
}

func (q queries) CustomersOfStore(ctx context.Context, storeCode string) ([]Customer, error) {
	cs, err := queryAll(ctx, q, scanCustomer,
		`SELECT `+customerColumns+` FROM customers WHERE store_code = $1 ORDER BY id`, storeCode)
	if err != nil {
		return nil, fmt.Errorf("store: customers of store %.40q: %w", storeCode, err)
	}
	return cs, nil
}

func (q queries) Order(ctx context.Context, id int64) (Order, error) {
	count(ctx)
	var o Order
	err := q.queryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = $1`, []any{id},
		&o.ID, &o.CustomerID, &o.Status, &o.Total)
	return o, one(err, "order", id)
}

func (q queries) OrdersOfCustomer(ctx context.Context, customerID int64) ([]Order, error) {
	list, err := queryAll(ctx, q, scanOrder,
		`SELECT `+orderColumns+` FROM orders WHERE customer_id = $1 ORDER BY id DESC`, customerID)
	if err != nil {
		return nil, fmt.Errorf("store: orders of customer %d: %w", customerID, err)
	}
	return list, nil
}

func (q queries) RecentOrders(ctx context.Context, limit int) ([]Order, error) {
	list, err := queryAll(ctx, q, scanOrder, `SELECT `+orderColumns+` FROM orders ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: %d recent orders: %w", limit, err)
	}
	return list, nil
}

func (q queries) CreateCustomer(ctx context.Context, c Customer) (Customer, error) {
	count(ctx)
	err := q.queryRow(ctx,
		`INSERT INTO customers (store_code, name, pre_name, email) VALUES ($1, $2, $3, $4) RETURNING id`,
		[]any{c.StoreCode, c.Name, c.PreName, c.Email}, &c.ID)
	if err != nil {
		return Customer{}, fmt.Errorf("store: create customer: %w", err)
	}
	return c, nil
}

func (q queries) UpdateCustomer(ctx context.Context, c Customer) error {
	count(ctx)
	n, err := q.c.exec(ctx,
		`UPDATE customers SET store_code = $1, name = $2, pre_name = $3, email = $4 WHERE id = $5`,
		c.StoreCode, c.Name, c.PreName, c.Email, c.ID)
	return affected(n, err, "update customer", c.ID)
}

func (q queries) DeleteCustomer(ctx context.Context, id int64) error {
	count(ctx)
	n, err := q.c.exec(ctx, `DELETE FROM customers WHERE id = $1`, id)
	return affected(n, err, "delete customer", id)
}

func (q queries) DeleteCustomersByPreName(ctx context.Context, preName string) (int64, error) {
	count(ctx)
	n, err := q.c.exec(ctx, `DELETE FROM customers WHERE pre_name = $1`, preName)
	if err != nil {
		return 0, fmt.Errorf("store: delete customers with preName %.40q: %w", preName, err)
	}
	return n, nil
}

func (q queries) DeleteOrdersOfCustomer(ctx context.Context, customerID int64) (int64, error) {
	count(ctx)
	n, err := q.c.exec(ctx, `DELETE FROM orders WHERE customer_id = $1`, customerID)
	if err != nil {
		return 0, fmt.Errorf("store: delete orders of customer %d: %w", customerID, err)
	}
	return n, nil
}

func (q queries) DeleteOrdersByPreName(ctx context.Context, preName string) (int64, error) {
	count(ctx)
	n, err := q.c.exec(ctx,
		`DELETE FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE pre_name = $1)`, preName)
	if err != nil {
		return 0, fmt.Errorf("store: delete orders of customers with preName %.40q: %w", preName, err)
	}
	return n, nil
}

func (q queries) CreateOrder(ctx context.Context, o Order) (Order, error) {
	count(ctx)
	// The casts tell PostgreSQL the types of parameters that only a
	// SELECT list holds; SQLite takes them as they are.
	err := q.queryRow(ctx,
		`INSERT INTO orders (customer_id, status, total)
		 SELECT id, CAST($1 AS TEXT), CAST($2 AS BIGINT) FROM customers WHERE id = $3
		 RETURNING id`,
		[]any{o.Status, o.Total, o.CustomerID}, &o.ID)
	if errors.Is(err, errNoRows) || (err != nil && q.d.isForeignKeyViolation(err)) {
		// No customer, or one deleted by a transaction that committed
		// while this one waited for it.
		return Order{}, fmt.Errorf("store: create order: customer %d: %w", o.CustomerID, ErrNotFound)
	}
	if err != nil {
		return Order{}, fmt.Errorf("store: create order: %w", err)
	}
	o.Customer = nil
	return o, nil
}

// affected returns the error of a write of one row by ID: err, or
// ErrNotFound if it changed no row.
func affected(n int64, err error, what string, id int64) error {
	if err != nil {
		return fmt.Errorf("store: %s %d: %w", what, id, err)
	}
	if n == 0 {
		return fmt.Errorf("store: %s %d: %w", what, id, ErrNotFound)
	}
	return nil
}
