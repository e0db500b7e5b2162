package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
)

var (
	seedNames    = []string{"Ann", "Bob", "Cid", "Dee", "Eva", "Finn", "Gus", "Hana", "Ida", "Jon", "Kai", "Lea", "Max", "Nia", "Otto", "Pia", "Quinn", "Rita", "Sam", "Tess"}
	seedPreNames = []string{"Smith", "Jones", "Brown", "Klein", "Meyer", "Novak", "Rossi", "Silva", "Weber", "Young", "Adler", "Berg", "Costa", "Dahl", "Engel", "Fox", "Gray", "Hahn", "Ito", "Jung", "Kent", "Lund", "Moss", "Nash", "Ortiz"}
	seedStores   = []string{"BER", "HAM", "MUC", "CGN", "FRA", "STR", "DUS"}
	seedStatuses = []string{"pending", "paid", "shipped", "delivered"}
)

// OrdersPerCustomer is how many orders Seed makes per customer.
const OrdersPerCustomer = 3

// SeedCustomer returns the n-th customer that Seed creates, counting from
// 1, which gets the ID n. Customers 1 to 500 have distinct full names;
// every preName has 20 customers among them.
func SeedCustomer(n int) Customer {
	i := n - 1
	name := seedNames[i%len(seedNames)]
	preName := seedPreNames[i/len(seedNames)%len(seedPreNames)]
	return Customer{
		ID:        int64(n),
		StoreCode: seedStores[i%len(seedStores)],
		Name:      name,
		PreName:   preName,
		Email:     fmt.Sprintf("%s.%s.%d@example.com", strings.ToLower(name), strings.ToLower(preName), n),
	}
}

// seedOrders returns the orders Seed creates for customers customers,
// with IDs from 1: spread over the customers at random with a fixed seed,
// the same every time.
func seedOrders(customers int) []Order {
	rng := rand.New(rand.NewPCG(1, 2))
	list := make([]Order, OrdersPerCustomer*customers)
	for i := range list {
		list[i] = Order{
			ID:         int64(i + 1),
			CustomerID: int64(1 + rng.IntN(customers)),
			Status:     seedStatuses[rng.IntN(len(seedStatuses))],
			Total:      int64(500 + rng.IntN(50_000)),
		}
	}
	return list
}

// seedBatch is the number of rows of one INSERT of seed.
const seedBatch = 200

// seed is Store.Seed in the transaction q. The rows get explicit IDs;
// after, the statements of the dialect bring the ID sequences past them.
func seed(ctx context.Context, q queries, customers int, after []string) (bool, error) {
	var n int
	if err := q.queryRow(ctx, `SELECT count(*) FROM customers`, nil, &n); err != nil {
		return false, fmt.Errorf("store: seed: %w", err)
	}
	if n > 0 || customers <= 0 {
		return false, nil
	}
	cs := make([][]any, customers)
	for i := range cs {
		c := SeedCustomer(i + 1)
		cs[i] = []any{c.ID, c.StoreCode, c.Name, c.PreName, c.Email}
	}
	if err := insertRows(ctx, q.c, `INSERT INTO customers (id, store_code, name, pre_name, email) VALUES `, cs); err != nil {
		return false, fmt.Errorf("store: seed customers: %w", err)
	}
	orders := seedOrders(customers)
	ors := make([][]any, len(orders))
	for i, o := range orders {
		ors[i] = []any{o.ID, o.CustomerID, o.Status, o.Total}
	}
	if err := insertRows(ctx, q.c, `INSERT INTO orders (id, customer_id, status, total) VALUES `, ors); err != nil {
		return false, fmt.Errorf("store: seed orders: %w", err)
	}
	for _, stmt := range after {
		if _, err := q.c.exec(ctx, stmt); err != nil {
			return false, fmt.Errorf("store: seed: %w", err)
		}
	}
	return true, nil
}

// insertRows inserts the rows of values with the statement insert, which
// ends before its VALUES lists, seedBatch rows at a time.
func insertRows(ctx context.Context, c conn, insert string, values [][]any) error {
	for len(values) > 0 {
		batch := values[:min(seedBatch, len(values))]
		values = values[len(batch):]
		var b strings.Builder
		b.WriteString(insert)
		var args []any
		for i, row := range batch {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j, v := range row {
				if j > 0 {
					b.WriteString(", ")
				}
				args = append(args, v)
				fmt.Fprintf(&b, "$%d", len(args))
			}
			b.WriteByte(')')
		}
		if _, err := c.exec(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}
