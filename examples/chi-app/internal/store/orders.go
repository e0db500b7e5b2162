package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

const orderColumns = `id, customer_id, status, total`

func scanOrder(row scanner) (Order, error) {
	var o Order
	err := row.Scan(&o.ID, &o.CustomerID, &o.Status, &o.Total)
	return o, err
}

// Order returns the order with the given ID, without its customer.
func (s *Store) Order(ctx context.Context, id int64) (Order, error) {
	count(ctx)
	o, err := scanOrder(s.db.QueryRowContext(ctx,
		`SELECT `+orderColumns+` FROM orders WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Order{}, fmt.Errorf("store: order %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Order{}, fmt.Errorf("store: order %d: %w", id, err)
	}
	return o, nil
}

// OrdersOfCustomer returns the orders of the customer, newest first.
func (s *Store) OrdersOfCustomer(ctx context.Context, customerID int64) ([]Order, error) {
	list, err := s.orders(ctx, `WHERE customer_id = ? ORDER BY id DESC`, customerID)
	if err != nil {
		return nil, fmt.Errorf("store: orders of customer %d: %w", customerID, err)
	}
	return list, nil
}

// RecentOrders returns the limit most recent orders, newest first.
func (s *Store) RecentOrders(ctx context.Context, limit int) ([]Order, error) {
	list, err := s.orders(ctx, `ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: %d recent orders: %w", limit, err)
	}
	return list, nil
}

// orders runs one query for orders. The result is never nil.
func (s *Store) orders(ctx context.Context, rest string, args ...any) ([]Order, error) {
	count(ctx)
	rows, err := s.db.QueryContext(ctx, `SELECT `+orderColumns+` FROM orders `+rest, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []Order{}
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, o)
	}
	return list, rows.Err()
}

// CreateOrder stores a new order, and returns it with its ID. It returns
// ErrNotFound, wrapped, if o.CustomerID names no customer.
func (s *Store) CreateOrder(ctx context.Context, o Order) (Order, error) {
	count(ctx)
	err := s.db.QueryRowContext(ctx,
		`INSERT INTO orders (customer_id, status, total)
		 SELECT id, ?, ? FROM customers WHERE id = ?
		 RETURNING id`,
		o.Status, o.Total, o.CustomerID).Scan(&o.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return Order{}, fmt.Errorf("store: create order: customer %d: %w", o.CustomerID, ErrNotFound)
	}
	if err != nil {
		return Order{}, fmt.Errorf("store: create order: %w", err)
	}
	o.Customer = nil
	return o, nil
}
