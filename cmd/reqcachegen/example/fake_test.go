package example

import (
	"context"
	"errors"
	"sort"
	"sync"
)

// fakeRepo is an in-memory Repo that counts the calls of each method.
type fakeRepo struct {
	mu        sync.Mutex
	customers map[int64]Customer
	orders    []Order
	calls     map[string]int
	batchIDs  [][]int64 // the IDs of each call of GetCustomers
	failWrite error
}

func newFakeRepo() *fakeRepo {
	return &fakeRepo{
		customers: map[int64]Customer{
			1: {ID: 1, Name: "Ann", PreName: "Smith", StoreCode: "BER"},
			2: {ID: 2, Name: "Bob", PreName: "Smith", StoreCode: "BER"},
			3: {ID: 3, Name: "Cem", PreName: "Jones", StoreCode: "HAM"},
		},
		orders: []Order{
			{ID: 10, CustomerID: 1, StoreCode: "BER", Total: 1200},
			{ID: 11, CustomerID: 1, StoreCode: "BER", Total: 300},
			{ID: 12, CustomerID: 2, StoreCode: "BER", Total: 5000},
		},
		calls: map[string]int{},
	}
}

var errNotFound = errors.New("example: not found")

func (f *fakeRepo) count(method string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[method]++
}

func (f *fakeRepo) called(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

func (f *fakeRepo) GetCustomer(_ context.Context, id int64) (Customer, error) {
	f.count("GetCustomer")
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.customers[id]
	if !ok {
		return Customer{}, errNotFound
	}
	return c, nil
}

func (f *fakeRepo) FindCustomer(_ context.Context, name, preName string) (Customer, error) {
	f.count("FindCustomer")
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.customers {
		if c.Name == name && c.PreName == preName {
			return c, nil
		}
	}
	return Customer{}, errNotFound
}

func (f *fakeRepo) GetCustomers(_ context.Context, ids []int64) (map[int64]Customer, error) {
	f.count("GetCustomers")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.batchIDs = append(f.batchIDs, append([]int64(nil), ids...))
	out := map[int64]Customer{}
	for _, id := range ids {
		if c, ok := f.customers[id]; ok {
			out[id] = c
		}
	}
	return out, nil
}

func (f *fakeRepo) SearchOrders(_ context.Context, storeCode string, customerID, minTotal int64, limit int) ([]Order, error) {
	f.count("SearchOrders")
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Order
	for _, o := range f.orders {
		if o.StoreCode == storeCode && o.CustomerID == customerID && o.Total >= minTotal && len(out) < limit {
			out = append(out, o)
		}
	}
	return out, nil
}

func (f *fakeRepo) LookupCustomer(_ context.Context, name string) (Customer, bool, error) {
	f.count("LookupCustomer")
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.customers {
		if c.Name == name {
			return c, true, nil
		}
	}
	return Customer{}, false, nil
}

func (f *fakeRepo) UpdateCustomer(_ context.Context, c Customer) error {
	f.count("UpdateCustomer")
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failWrite != nil {
		return f.failWrite
	}
	if _, ok := f.customers[c.ID]; !ok {
		return errNotFound
	}
	f.customers[c.ID] = c
	return nil
}

func (f *fakeRepo) DeleteCustomers(_ context.Context, preName string) (int, error) {
	f.count("DeleteCustomers")
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failWrite != nil {
		return 0, f.failWrite
	}
	var ids []int64
	for id, c := range f.customers {
		if c.PreName == preName {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		delete(f.customers, id)
	}
	return len(ids), nil
}
