package reqcache_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// Customer is the domain type of the examples.
type Customer struct {
	ID      int64
	Name    string
	PreName string
}

// Declared once, at package level.
var (
	Customers  = region.New[Customer, int64]("Customer")
	CustomerID = region.NewParam[int64]("customerID")
	Name       = region.NewParam[string]("name")
	PreName    = region.NewParam[string]("preName")
)

// Repo stands for a SQL repository; it counts its queries.
type Repo struct {
	rows    map[int64]Customer
	queries int
}

var errNotFound = errors.New("not found")

func NewRepo() *Repo {
	return &Repo{rows: map[int64]Customer{
		1: {1, "Ann", "Smith"},
		2: {2, "Bob", "Smith"},
		3: {3, "Cid", "Jones"},
	}}
}

func (r *Repo) GetCustomerByID(_ context.Context, id int64) (Customer, error) {
	r.queries++
	c, ok := r.rows[id]
	if !ok {
		return Customer{}, errNotFound
	}
	return c, nil
}

func (r *Repo) GetCustomerByFullName(_ context.Context, name, preName string) (Customer, error) {
	r.queries++
	for _, c := range r.rows {
		if c.Name == name && c.PreName == preName {
			return c, nil
		}
	}
	return Customer{}, errNotFound
}

func (r *Repo) GetCustomersByIDs(_ context.Context, ids []int64) (map[int64]Customer, error) {
	r.queries++
	m := make(map[int64]Customer, len(ids))
	for _, id := range ids {
		if c, ok := r.rows[id]; ok {
			m[id] = c
		}
	}
	return m, nil
}

func (r *Repo) UpdateCustomer(_ context.Context, c Customer) error {
	r.queries++
	r.rows[c.ID] = c
	return nil
}

// CachedRepo wraps the repository's methods, one line each.
type CachedRepo struct {
	db         *Repo
	byID       *reqcache.Func1[int64, Customer]
	byFullName *reqcache.Func2[string, string, Customer]
	byIDs      *reqcache.Batch[int64, Customer]
}

func NewCachedRepo(db *Repo) *CachedRepo {
	return &CachedRepo{
		db:         db,
		byID:       reqcache.Cache1(Customers, db.GetCustomerByID, CustomerID, reqcache.IDFromParam(CustomerID)),
		byFullName: reqcache.Cache2(Customers, db.GetCustomerByFullName, Name, PreName, reqcache.IDFromResult(func(c Customer) int64 { return c.ID })),
		byIDs:      reqcache.CacheBatch(Customers, db.GetCustomersByIDs),
	}
}

func (r *CachedRepo) UpdateCustomer(ctx context.Context, c Customer) error {
	if err := r.db.UpdateCustomer(ctx, c); err != nil {
		return err
	}
	invalidate.ID(ctx, Customers, c.ID) // every Customer entry about c.ID
	return nil
}

func Example() {
	db := NewRepo()
	repo := NewCachedRepo(db)

	// The middleware does this for every HTTP request.
	ctx, cache := reqcache.Scope(context.Background())
	defer cache.Close()

	for range 3 {
		c, _ := repo.byID.Get(ctx, 1)
		fmt.Println(c.Name, c.PreName)
	}
	fmt.Println("queries:", db.queries)

	_ = repo.UpdateCustomer(ctx, Customer{ID: 1, Name: "Ann", PreName: "Taylor"})
	c, _ := repo.byID.Get(ctx, 1) // read-your-writes: loaded again
	fmt.Println(c.Name, c.PreName)
	fmt.Println("queries:", db.queries)

	s := cache.Stats()
	fmt.Printf("hits=%d misses=%d invalidated=%d\n", s.Hits, s.Misses, s.Invalidated)
	// Output:
	// Ann Smith
	// Ann Smith
	// Ann Smith
	// queries: 1
	// Ann Taylor
	// queries: 3
	// hits=2 misses=2 invalidated=1
}

func Example_invalidateByPartialParameters() {
	db := NewRepo()
	repo := NewCachedRepo(db)
	ctx, cache := reqcache.Scope(context.Background())
	defer cache.Close()

	_, _ = repo.byFullName.Get(ctx, "Ann", "Smith")
	_, _ = repo.byFullName.Get(ctx, "Bob", "Smith")
	_, _ = repo.byFullName.Get(ctx, "Cid", "Jones")

	// Every GetCustomerByFullName(name, "Smith") entry goes; (Cid, Jones) stays.
	n, err := invalidate.Match(ctx, Customers, PreName.Is("Smith"))
	fmt.Println(n, err)
	_, kept := repo.byFullName.Peek(ctx, "Cid", "Jones")
	fmt.Println("Cid Jones kept:", kept)
	// Output:
	// 2 <nil>
	// Cid Jones kept: true
}

func ExampleBatch() {
	db := NewRepo()
	repo := NewCachedRepo(db)
	ctx, cache := reqcache.Scope(context.Background())
	defer cache.Close()

	m, _ := repo.byIDs.Get(ctx, []int64{1, 2})
	fmt.Println(len(m), "customers, queries:", db.queries)
	m, _ = repo.byIDs.Get(ctx, []int64{1, 2, 3, 99}) // loads only 3 and 99
	fmt.Println(len(m), "customers, queries:", db.queries)
	m, _ = repo.byIDs.Get(ctx, []int64{3, 99}) // 99 is stored as absent
	fmt.Println(len(m), "customers, queries:", db.queries)
	// Output:
	// 2 customers, queries: 1
	// 3 customers, queries: 2
	// 1 customers, queries: 2
}

// GraphQL resolvers ask for one customer each, from goroutines of their own,
// as gqlgen runs them. With Coalesce, the calls that arrive within Wait
// share one call of the batch read, and each key is still loaded once.
// This batch holds at most 3 keys, so the call that brings the third
// customer sends it at once; the long Wait keeps the output independent of
// the scheduler (servers wait a millisecond or two).
func ExampleCoalesce() {
	db := NewRepo()
	byIDs := reqcache.CacheBatch(Customers, db.GetCustomersByIDs,
		reqcache.Coalesce(reqcache.Coalescing{Wait: time.Second, MaxKeys: 3}))
	ctx, cache := reqcache.Scope(context.Background())
	defer cache.Close()

	customerOf := []int64{1, 2, 1, 3, 2, 1} // the customer of each order
	names := make([]string, len(customerOf))
	var wg sync.WaitGroup
	for i, id := range customerOf {
		wg.Add(1)
		go func() { // the resolver of Order.customer
			defer wg.Done()
			c, err := byIDs.GetOne(ctx, id)
			if err != nil {
				names[i] = err.Error()
				return
			}
			names[i] = c.Name
		}()
	}
	wg.Wait()
	fmt.Println(names, "queries:", db.queries)
	// Output: [Ann Bob Ann Cid Bob Ann] queries: 1
}

// A cached method whose function calls another: the outer entry depends on
// the inner one, so invalidating the customer drops the order view too.
func Example_nested() {
	db := NewRepo()
	repo := NewCachedRepo(db)
	type OrderView struct {
		OrderID  int64
		Customer Customer
	}
	orderViews := region.New[OrderView, int64]("OrderView")
	orderID := region.NewParam[int64]("orderID")
	view := reqcache.Cache1(orderViews, func(ctx context.Context, id int64) (OrderView, error) {
		c, err := repo.byID.Get(ctx, id/100) // order 100 is customer 1's
		return OrderView{id, c}, err
	}, orderID)

	ctx, cache := reqcache.Scope(context.Background())
	defer cache.Close()
	v, _ := view.Get(ctx, 100)
	fmt.Println(v.Customer.PreName)
	_ = repo.UpdateCustomer(ctx, Customer{ID: 1, Name: "Ann", PreName: "Taylor"})
	v, _ = view.Get(ctx, 100)
	fmt.Println(v.Customer.PreName)
	// Output:
	// Smith
	// Taylor
}

// A job outside HTTP: Scope gives it the same per-unit cache; Stats and ID
// describe it for logs and metrics.
func ExampleScope() {
	db := NewRepo()
	repo := NewCachedRepo(db)

	ctx, cache := reqcache.Scope(context.Background())
	for _, id := range []int64{1, 2, 1, 2, 3} {
		_, _ = repo.byID.Get(ctx, id)
	}
	cache.Close()
	s := cache.Stats()
	fmt.Printf("hits=%d misses=%d queries=%d\n", s.Hits, s.Misses, db.queries)
	fmt.Println(cache.ID() != uuid.Nil)
	// Output:
	// hits=2 misses=3 queries=3
	// true
}

// CacheErrors stores chosen errors, such as not-found, like values.
func ExampleCacheErrors() {
	db := NewRepo()
	notFound := func(err error) bool { return errors.Is(err, errNotFound) }
	byID := reqcache.Cache1(Customers, db.GetCustomerByID, CustomerID, reqcache.CacheErrors(notFound))

	ctx, cache := reqcache.Scope(context.Background())
	defer cache.Close()
	for range 3 {
		_, err := byID.Get(ctx, 99)
		fmt.Println(err)
	}
	fmt.Println("queries:", db.queries)
	// Output:
	// not found
	// not found
	// not found
	// queries: 1
}
