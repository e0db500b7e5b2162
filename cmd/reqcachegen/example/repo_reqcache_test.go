package example

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"sync"
	"testing"

	"github.com/reqcache/reqcache/reqcache"
)

func scope(t *testing.T) context.Context {
	t.Helper()
	ctx, cache := reqcache.Scope(context.Background())
	t.Cleanup(cache.Close)
	return ctx
}

// TestCachedRepo_Reads calls each read method twice in one request, and
// checks that the wrapped repository ran it once, or, uncached, twice.
func TestCachedRepo_Reads(t *testing.T) {
	tests := []struct {
		method string
		call   func(context.Context, Repo) (any, error)
		want   any
		calls  int
	}{
		{"GetCustomer", func(ctx context.Context, r Repo) (any, error) { return r.GetCustomer(ctx, 3) },
			Customer{ID: 3, Name: "Cem", PreName: "Jones", StoreCode: "HAM"}, 1},
		{"FindCustomer", func(ctx context.Context, r Repo) (any, error) { return r.FindCustomer(ctx, "Bob", "Smith") },
			Customer{ID: 2, Name: "Bob", PreName: "Smith", StoreCode: "BER"}, 1},
		{"GetCustomers", func(ctx context.Context, r Repo) (any, error) {
			m, err := r.GetCustomers(ctx, []int64{2, 9})
			return len(m), err
		}, 1, 1},
		{"SearchOrders", func(ctx context.Context, r Repo) (any, error) {
			os, err := r.SearchOrders(ctx, "BER", 1, 500, 10)
			return len(os), err
		}, 1, 1},
		{"LookupCustomer", func(ctx context.Context, r Repo) (any, error) {
			c, ok, err := r.LookupCustomer(ctx, "Ann")
			return ok && c.ID == 1, err
		}, true, 2},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			db := newFakeRepo()
			repo := NewCachedRepo(db)
			ctx := scope(t)
			for range 2 {
				got, err := tt.call(ctx, repo)
				if err != nil || got != tt.want {
					t.Fatalf("%s = %v, %v; want %v, nil", tt.method, got, err, tt.want)
				}
			}
			if got := db.called(tt.method); got != tt.calls {
				t.Errorf("%s ran %d times in the repository; want %d", tt.method, got, tt.calls)
			}
		})
	}
}

// TestCachedRepo_UpdateCustomer checks that an update drops every entry
// about the customer: by ID argument, by ID from the result, and by tag.
func TestCachedRepo_UpdateCustomer(t *testing.T) {
	db := newFakeRepo()
	repo := NewCachedRepo(db)
	ctx := scope(t)
	read := func() {
		t.Helper()
		if _, err := repo.GetCustomer(ctx, 1); err != nil {
			t.Fatalf("GetCustomer(1) = %v", err)
		}
		if _, err := repo.FindCustomer(ctx, "Bob", "Smith"); err != nil {
			t.Fatalf("FindCustomer(Bob, Smith) = %v", err)
		}
		if _, err := repo.SearchOrders(ctx, "BER", 1, 0, 10); err != nil {
			t.Fatalf("SearchOrders = %v", err)
		}
	}
	read()
	read()
	if err := repo.UpdateCustomer(ctx, Customer{ID: 1, Name: "Ann", PreName: "Taylor"}); err != nil {
		t.Fatalf("UpdateCustomer = %v", err)
	}
	read()
	for method, want := range map[string]int{"GetCustomer": 2, "SearchOrders": 2, "FindCustomer": 1} {
		if got := db.called(method); got != want {
			t.Errorf("%s ran %d times; want %d", method, got, want)
		}
	}
	if c, _ := repo.GetCustomer(ctx, 1); c.PreName != "Taylor" {
		t.Errorf("GetCustomer(1) after the update = %+v; want PreName Taylor", c)
	}
}

// TestCachedRepo_DeleteCustomers checks that a delete by preName drops the
// entries of that preName, and keeps the others of a method that declares
// it.
func TestCachedRepo_DeleteCustomers(t *testing.T) {
	db := newFakeRepo()
	repo := NewCachedRepo(db)
	ctx := scope(t)
	repo.FindCustomer(ctx, "Bob", "Smith")
	repo.FindCustomer(ctx, "Cem", "Jones")
	n, err := repo.DeleteCustomers(ctx, "Smith")
	if n != 2 || err != nil {
		t.Fatalf("DeleteCustomers(Smith) = %d, %v; want 2, nil", n, err)
	}
	if _, err := repo.FindCustomer(ctx, "Bob", "Smith"); !errors.Is(err, errNotFound) {
		t.Errorf("FindCustomer(Bob, Smith) after the delete = %v; want %v", err, errNotFound)
	}
	repo.FindCustomer(ctx, "Cem", "Jones")
	if got := db.called("FindCustomer"); got != 3 {
		t.Errorf("FindCustomer ran %d times; want 3 (Jones stays cached)", got)
	}
}

// TestCachedRepo_FailedWrite checks that a write that fails invalidates
// nothing and returns the error.
func TestCachedRepo_FailedWrite(t *testing.T) {
	errDown := errors.New("database down")
	db := newFakeRepo()
	db.failWrite = errDown
	repo := NewCachedRepo(db)
	ctx := scope(t)
	repo.GetCustomer(ctx, 1)
	repo.FindCustomer(ctx, "Ann", "Smith")
	if err := repo.UpdateCustomer(ctx, Customer{ID: 1}); !errors.Is(err, errDown) {
		t.Errorf("UpdateCustomer = %v; want %v", err, errDown)
	}
	if _, err := repo.DeleteCustomers(ctx, "Smith"); !errors.Is(err, errDown) {
		t.Errorf("DeleteCustomers = %v; want %v", err, errDown)
	}
	repo.GetCustomer(ctx, 1)
	repo.FindCustomer(ctx, "Ann", "Smith")
	if got := db.called("GetCustomer") + db.called("FindCustomer"); got != 2 {
		t.Errorf("reads ran %d times after failed writes; want 2 (nothing invalidated)", got)
	}
}

// TestCachedRepo_NoCache checks that without a request cache every method
// is a plain call.
func TestCachedRepo_NoCache(t *testing.T) {
	db := newFakeRepo()
	repo := NewCachedRepo(db)
	ctx := context.Background()
	for range 2 {
		repo.GetCustomer(ctx, 1)
		repo.SearchOrders(ctx, "BER", 1, 0, 10)
	}
	if got := db.called("GetCustomer") + db.called("SearchOrders"); got != 4 {
		t.Errorf("reads without a cache ran %d times; want 4", got)
	}
}

// TestCachedRepo_DeleteCustomersBatch checks that the batch method's
// entries, which declare the customer's preName from the result, are
// dropped by a delete of their preName, and only they.
func TestCachedRepo_DeleteCustomersBatch(t *testing.T) {
	db := newFakeRepo()
	repo := NewCachedRepo(db)
	ctx := scope(t)
	if m, err := repo.GetCustomers(ctx, []int64{1, 2, 3}); len(m) != 3 || err != nil {
		t.Fatalf("GetCustomers(1, 2, 3) = %v, %v; want 3 customers", m, err)
	}
	if _, err := repo.DeleteCustomers(ctx, "Smith"); err != nil {
		t.Fatalf("DeleteCustomers(Smith) = %v", err)
	}
	m, err := repo.GetCustomers(ctx, []int64{1, 2, 3})
	if len(m) != 1 || m[3].Name != "Cem" || err != nil {
		t.Fatalf("GetCustomers(1, 2, 3) after the delete = %v, %v; want customer 3 alone", m, err)
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	last := db.batchIDs[len(db.batchIDs)-1]
	sort.Slice(last, func(i, j int) bool { return last[i] < last[j] })
	if want := []int64{1, 2}; len(db.batchIDs) != 2 || !reflect.DeepEqual(last, want) {
		t.Errorf("GetCustomers reached the repository with %v; want a second call with %v", db.batchIDs, want)
	}
}

// TestCachedRepo_Concurrent calls the reads from goroutines of one
// request: the repository runs each distinct call once.
func TestCachedRepo_Concurrent(t *testing.T) {
	db := newFakeRepo()
	repo := NewCachedRepo(db)
	ctx := scope(t)
	var wg sync.WaitGroup
	errs := make(chan error, 16*2)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := repo.GetCustomer(ctx, int64(1+i%2)); err != nil {
				errs <- err
			}
			if _, err := repo.SearchOrders(ctx, "BER", 1, 0, 10); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a read failed: %v", err)
	}
	if got := db.called("GetCustomer"); got != 2 {
		t.Errorf("GetCustomer ran %d times for 2 distinct IDs; want 2", got)
	}
	if got := db.called("SearchOrders"); got != 1 {
		t.Errorf("SearchOrders ran %d times for 1 distinct call; want 1", got)
	}
}
