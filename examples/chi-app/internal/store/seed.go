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
// 1, which gets the ID n in an empty database. Customers 1 to 500 have
// distinct full names; every preName has 20 customers among them.
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

// Seed fills an empty database with customers customers, made by
// SeedCustomer, and OrdersPerCustomer times as many orders, spread over
// them at random with a fixed seed: the same every time. It does nothing
// if the database holds customers, and reports whether it seeded.
func (s *Store) Seed(ctx context.Context, customers int) (bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("store: seed: %w", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM customers`).Scan(&n); err != nil {
		return false, fmt.Errorf("store: seed: %w", err)
	}
	if n > 0 || customers <= 0 {
		return false, nil
	}
	for i := 1; i <= customers; i++ {
		c := SeedCustomer(i)
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO customers (id, store_code, name, pre_name, email) VALUES (?, ?, ?, ?, ?)`,
			c.ID, c.StoreCode, c.Name, c.PreName, c.Email); err != nil {
			return false, fmt.Errorf("store: seed customer %d: %w", i, err)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 1; i <= OrdersPerCustomer*customers; i++ {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO orders (customer_id, status, total) VALUES (?, ?, ?)`,
			1+rng.IntN(customers), seedStatuses[rng.IntN(len(seedStatuses))], 500+rng.IntN(50_000)); err != nil {
			return false, fmt.Errorf("store: seed order %d: %w", i, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("store: seed: %w", err)
	}
	return true, nil
}
