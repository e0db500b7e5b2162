package invalidate_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

type Customer struct {
	ID      int64
	Name    string
	PreName string
}

type Order struct{ ID, CustomerID int64 }

type strictThing struct{}

var (
	Customers  = region.New[Customer, int64]("Customer")
	Orders     = region.New[Order, int64]("Order")
	Stricts    = region.New[strictThing, int64]("strictThing", region.Strict(PreName))
	CustomerID = region.NewParam[int64]("customerID")
	OrderID    = region.NewParam[int64]("orderID")
	Name       = region.NewParam[string]("name")
	PreName    = region.NewParam[string]("preName")
)

var people = map[int64]Customer{1: {1, "Ann", "Smith"}, 2: {2, "Bob", "Smith"}, 3: {3, "Cid", "Jones"}}

// repo is a cache over three methods, loaded with every customer, their
// full names and one order each.
type repo struct {
	ctx    context.Context
	byID   *reqcache.Func1[int64, Customer]
	byName *reqcache.Func2[string, string, Customer]
	order  *reqcache.Func1[int64, Order]
}

func newRepo(t *testing.T) *repo {
	t.Helper()
	r := &repo{
		byID: reqcache.Cache1(Customers, func(_ context.Context, id int64) (Customer, error) {
			return people[id], nil
		}, CustomerID, reqcache.IDFromParam(CustomerID)),
		byName: reqcache.Cache2(Customers, func(_ context.Context, n, p string) (Customer, error) {
			for _, c := range people {
				if c.Name == n && c.PreName == p {
					return c, nil
				}
			}
			return Customer{}, errors.New("not found")
		}, Name, PreName, reqcache.IDFromResult(func(c Customer) int64 { return c.ID })),
		order: reqcache.Cache1(Orders, func(_ context.Context, id int64) (Order, error) {
			return Order{ID: id, CustomerID: id / 10}, nil
		}, OrderID, reqcache.TagsFromResult(func(o Order) []region.Tag { return []region.Tag{Customers.Tag(o.CustomerID)} })),
	}
	ctx, c := reqcache.Scope(context.Background())
	t.Cleanup(c.Close)
	r.ctx = ctx
	for id, p := range people {
		_, err1 := r.byID.Get(ctx, id)
		_, err2 := r.byName.Get(ctx, p.Name, p.PreName)
		_, err3 := r.order.Get(ctx, 10*id)
		if err := errors.Join(err1, err2, err3); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// held lists what the cache still holds.
func (r *repo) held() []string {
	var got []string
	for id, p := range people {
		if _, ok := r.byID.Peek(r.ctx, id); ok {
			got = append(got, "id:"+p.Name)
		}
		if _, ok := r.byName.Peek(r.ctx, p.Name, p.PreName); ok {
			got = append(got, "name:"+p.Name)
		}
		if _, ok := r.order.Peek(r.ctx, 10*id); ok {
			got = append(got, "order:"+p.Name)
		}
	}
	slices.Sort(got)
	return got
}

func TestInvalidate(t *testing.T) {
	tests := []struct {
		name  string
		do    func(ctx context.Context) (int, error)
		wantN int
		held  []string
	}{
		{"ID", func(ctx context.Context) (int, error) { return invalidate.ID(ctx, Customers, 1), nil }, 3,
			[]string{"id:Bob", "id:Cid", "name:Bob", "name:Cid", "order:Bob", "order:Cid"}},
		{"IDs", func(ctx context.Context) (int, error) { return invalidate.ID(ctx, Customers, 1, 3), nil }, 6,
			[]string{"id:Bob", "name:Bob", "order:Bob"}},
		{"Tags", func(ctx context.Context) (int, error) {
			return invalidate.Tags(ctx, Customers.Tag(2), region.Tag{}), nil
		}, 3, []string{"id:Ann", "id:Cid", "name:Ann", "name:Cid", "order:Ann", "order:Cid"}},
		{"Match partial", func(ctx context.Context) (int, error) { return invalidate.Match(ctx, Customers, PreName.Is("Smith")) }, 5,
			[]string{"name:Cid", "order:Ann", "order:Bob", "order:Cid"}},
		{"Match full", func(ctx context.Context) (int, error) {
			return invalidate.Match(ctx, Customers, Name.Is("Cid"), PreName.Is("Jones"))
		}, 4, []string{"name:Ann", "name:Bob", "order:Ann", "order:Bob", "order:Cid"}},
		{"Region", func(ctx context.Context) (int, error) { return invalidate.Region(ctx, Orders), nil }, 3,
			[]string{"id:Ann", "id:Bob", "id:Cid", "name:Ann", "name:Bob", "name:Cid"}},
		{"All", func(ctx context.Context) (int, error) { return invalidate.All(ctx), nil }, 9, nil},
		{"reqcache.Invalidate", func(ctx context.Context) (int, error) {
			return reqcache.Invalidate(ctx, Customers.Tag(1), Orders.Where())
		}, 5, []string{"id:Bob", "id:Cid", "name:Bob", "name:Cid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRepo(t)
			n, err := tt.do(r.ctx)
			if err != nil || n != tt.wantN {
				t.Errorf("%s = %d, %v; want %d, nil", tt.name, n, err, tt.wantN)
			}
			if got := r.held(); !slices.Equal(got, tt.held) {
				t.Errorf("after %s the cache holds %v; want %v", tt.name, got, tt.held)
			}
		})
	}
}

func TestInvalidate_Errors(t *testing.T) {
	r := newRepo(t)
	if _, err := invalidate.Match(r.ctx, Stricts, Name.Is("Ann")); err == nil || !strings.Contains(err.Error(), "strict") {
		t.Errorf("Match on a strict region by another parameter error = %v; want a strict-region error", err)
	}
	if _, err := reqcache.Invalidate(r.ctx, nil); err == nil {
		t.Errorf("Invalidate(nil) error = nil; want an error")
	}
	if got := len(r.held()); got != 9 {
		t.Errorf("failed invalidations removed entries: %d left; want 9", got)
	}
}

func TestInvalidate_WithoutCache(t *testing.T) {
	ctx := context.Background()
	if n := invalidate.ID(ctx, Customers, 1) + invalidate.Region(ctx, Customers) + invalidate.All(ctx); n != 0 {
		t.Errorf("invalidations without a cache removed %d entries", n)
	}
	if _, err := invalidate.Match(ctx, Stricts, Name.Is("Ann")); err == nil {
		t.Errorf("Match without a cache error = nil; want the strict-region error all the same")
	}
}
