package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

const customerColumns = `id, store_code, name, pre_name, email`

type scanner interface {
	Scan(dest ...any) error
}

func scanCustomer(row scanner) (Customer, error) {
	var c Customer
	err := row.Scan(&c.ID, &c.StoreCode, &c.Name, &c.PreName, &c.Email)
	return c, err
}

// Customer returns the customer with the given ID.
func (s *Store) Customer(ctx context.Context, id int64) (Customer, error) {
	count(ctx)
	c, err := scanCustomer(s.db.QueryRowContext(ctx,
		`SELECT `+customerColumns+` FROM customers WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Customer{}, fmt.Errorf("store: customer %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Customer{}, fmt.Errorf("store: customer %d: %w", id, err)
	}
	return c, nil
}

// CustomersByIDs returns the customers with the given IDs, by ID. IDs that
// name no customer are left out.
func (s *Store) CustomersByIDs(ctx context.Context, ids []int64) (map[int64]Customer, error) {
	m := make(map[int64]Customer, len(ids))
	if len(ids) == 0 {
		return m, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("store: customers by IDs: %w", err)
	}
	cs, err := s.customers(ctx, `WHERE id IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return nil, fmt.Errorf("store: customers by IDs: %w", err)
	}
	for _, c := range cs {
		m[c.ID] = c
	}
	return m, nil
}

// CustomersByFullName returns the customers with the given name and
// preName, by ID.
func (s *Store) CustomersByFullName(ctx context.Context, name, preName string) ([]Customer, error) {
	cs, err := s.customers(ctx, `WHERE name = ? AND pre_name = ? ORDER BY id`, name, preName)
	if err != nil {
		return nil, fmt.Errorf("store: customers named %s %s: %w", name, preName, err)
	}
	return cs, nil
}

// CustomersOfStore returns the customers of the store, by ID.
func (s *Store) CustomersOfStore(ctx context.Context, storeCode string) ([]Customer, error) {
	cs, err := s.customers(ctx, `WHERE store_code = ? ORDER BY id`, storeCode)
	if err != nil {
		return nil, fmt.Errorf("store: customers of store %s: %w", storeCode, err)
	}
	return cs, nil
}

// customers runs one query for customers. The result is never nil.
func (s *Store) customers(ctx context.Context, where string, args ...any) ([]Customer, error) {
	count(ctx)
	rows, err := s.db.QueryContext(ctx, `SELECT `+customerColumns+` FROM customers `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cs := []Customer{}
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

// CreateCustomer stores a new customer, and returns it with its ID.
func (s *Store) CreateCustomer(ctx context.Context, c Customer) (Customer, error) {
	count(ctx)
	err := s.db.QueryRowContext(ctx,
		`INSERT INTO customers (store_code, name, pre_name, email) VALUES (?, ?, ?, ?) RETURNING id`,
		c.StoreCode, c.Name, c.PreName, c.Email).Scan(&c.ID)
	if err != nil {
		return Customer{}, fmt.Errorf("store: create customer: %w", err)
	}
	return c, nil
}

// UpdateCustomer stores c in place of the customer with its ID.
func (s *Store) UpdateCustomer(ctx context.Context, c Customer) error {
	count(ctx)
	res, err := s.db.ExecContext(ctx,
		`UPDATE customers SET store_code = ?, name = ?, pre_name = ?, email = ? WHERE id = ?`,
		c.StoreCode, c.Name, c.PreName, c.Email, c.ID)
	return affected(res, err, "update customer", c.ID)
}

// DeleteCustomer deletes the customer with the given ID, and its orders.
func (s *Store) DeleteCustomer(ctx context.Context, id int64) error {
	count(ctx)
	res, err := s.db.ExecContext(ctx, `DELETE FROM customers WHERE id = ?`, id)
	return affected(res, err, "delete customer", id)
}

// DeleteCustomersByPreName deletes the customers with the given preName,
// and their orders, and returns how many customers it deleted.
func (s *Store) DeleteCustomersByPreName(ctx context.Context, preName string) (int64, error) {
	count(ctx)
	res, err := s.db.ExecContext(ctx, `DELETE FROM customers WHERE pre_name = ?`, preName)
	if err != nil {
		return 0, fmt.Errorf("store: delete customers with preName %s: %w", preName, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: delete customers with preName %s: %w", preName, err)
	}
	return n, nil
}

// affected returns the error of a write of one row by ID: err, or
// ErrNotFound if it changed no row.
func affected(res sql.Result, err error, what string, id int64) error {
	if err != nil {
		return fmt.Errorf("store: %s %d: %w", what, id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: %s %d: %w", what, id, err)
	}
	if n == 0 {
		return fmt.Errorf("store: %s %d: %w", what, id, ErrNotFound)
	}
	return nil
}
