package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/reqcache/reqcache/reqcache"
)

// db is the fake repository: products in memory, and a log of the calls
// that reached it.
type db struct {
	products map[int64]Product
	calls    []string
}

func (d *db) log(format string, args ...any) { d.calls = append(d.calls, fmt.Sprintf(format, args...)) }

func (d *db) Get(_ context.Context, id int64) (Product, error) {
	d.log("Get(%d)", id)
	p, ok := d.products[id]
	if !ok {
		return Product{}, fmt.Errorf("no product %d", id)
	}
	return p, nil
}

func (d *db) GetMany(_ context.Context, ids []int64) (map[int64]Product, error) {
	d.log("GetMany(%v)", ids)
	out := map[int64]Product{}
	for _, id := range ids {
		if p, ok := d.products[id]; ok {
			out[id] = p
		}
	}
	return out, nil
}

func (d *db) List(_ context.Context, shop string) ([]Product, error) {
	d.log("List(%s)", shop)
	return d.filter(func(p Product) bool { return p.Shop == shop }), nil
}

func (d *db) Search(_ context.Context, shop, name string, minPrice, maxPrice int64) ([]Product, error) {
	d.log("Search(%s, %s, %d, %d)", shop, name, minPrice, maxPrice)
	return d.filter(func(p Product) bool {
		return p.Shop == shop && strings.Contains(p.Name, name) && p.Price >= minPrice && p.Price <= maxPrice
	}), nil
}

func (d *db) Find(_ context.Context, name string) (Product, bool, error) {
	d.log("Find(%s)", name)
	for _, p := range d.filter(func(p Product) bool { return p.Name == name }) {
		return p, true, nil
	}
	return Product{}, false, nil
}

func (d *db) Update(_ context.Context, p Product) error {
	d.log("Update(%d)", p.ID)
	d.products[p.ID] = p
	return nil
}

func (d *db) CloseShop(_ context.Context, shop string) (int, error) {
	d.log("CloseShop(%s)", shop)
	n := 0
	for id, p := range d.products {
		if p.Shop == shop {
			delete(d.products, id)
			n++
		}
	}
	return n, nil
}

func (d *db) filter(keep func(Product) bool) []Product {
	var out []Product
	for _, p := range d.products {
		if keep(p) {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func main() {
	d := &db{products: map[int64]Product{
		1: {1, "north", "tea", 300},
		2: {2, "north", "green tea", 450},
		3: {3, "south", "coffee", 500},
	}}
	var repo Repo = NewCachedRepo(d)
	ctx, cache := reqcache.Scope(context.Background())
	defer cache.Close()

	for range 2 {
		p, _ := repo.Get(ctx, 1)
		ps, _ := repo.List(ctx, "south")
		found, _ := repo.Search(ctx, "north", "tea", 0, 1000)
		many, _ := repo.GetMany(ctx, []int64{2, 3})
		_, ok, _ := repo.Find(ctx, "coffee")
		_, ok2, _ := repo.Find(ctx, "water")
		fmt.Println(p.Name, len(ps), len(found), len(many), ok, ok2)
	}
	_ = repo.Update(ctx, Product{1, "north", "black tea", 350})
	p, _ := repo.Get(ctx, 1)
	found, _ := repo.Search(ctx, "north", "tea", 0, 1000)
	fmt.Println(p.Name, len(found))
	n, _ := repo.CloseShop(ctx, "south")
	ps, _ := repo.List(ctx, "south")
	fmt.Println(n, len(ps))
	for _, c := range d.calls {
		fmt.Println(c)
	}
}
