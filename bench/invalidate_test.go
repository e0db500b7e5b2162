package bench

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// An invalidationMode is one way to select the entries an invalidation
// removes.
type invalidationMode struct {
	name string
	// setup stores n entries, numbered 0 to n-1, in the cache ctx carries,
	// and returns inv, which invalidates entry i and returns how many
	// entries it removed, and put, which stores entry i again.
	setup func(ctx context.Context, n int) (inv func(i int) int, put func(i int))
	// whole is set if inv removes every entry, not only entry i.
	whole bool
}

// invalidationModes are the modes of BenchmarkInvalidate.
var invalidationModes = []invalidationMode{
	{name: "id", setup: setupByID(func(ctx context.Context, i int) int {
		return invalidate.ID(ctx, Customers, int64(i))
	})},
	{name: "param", setup: setupByParam},
	{name: "tag", setup: setupByTag},
	{name: "region", whole: true, setup: setupByID(func(ctx context.Context, _ int) int {
		return invalidate.Region(ctx, Customers)
	})},
}

// invalidationSizes are the numbers of entries of BenchmarkInvalidate.
var invalidationSizes = []int{10, 1000, 100_000}

// BenchmarkInvalidate measures one invalidation in a cache of n entries: by
// unique ID, by one of the two parameters of a Cache2 method, by a tag of
// another region, each of which removes one entry, and of the whole region,
// which removes all n.
//
// The cache is filled once per run, outside the timer, and the indexes that
// the first invalidation of a request builds are built before the timer
// starts. Only the invalidations are timed: after a round of up to 100 of
// them, each of another entry, the timer stops while Prime puts the removed
// entries back, since a Prime costs more than the invalidation measured. So
// the cache holds between n-99 and n entries (for n = 10, between 1 and 10:
// the small end of the range is, if anything, cheaper than its label). A
// region invalidation is a round of its own, after which all n entries are
// put back.
func BenchmarkInvalidate(b *testing.B) {
	var cases []benchCase
	for _, m := range invalidationModes {
		for _, n := range invalidationSizes {
			cases = append(cases, benchCase{fmt.Sprintf("%s/entries=%d", m.name, n), func(b *testing.B) {
				benchmarkInvalidate(b, m, n)
			}})
		}
	}
	runCases(b, cases)
}

func benchmarkInvalidate(b *testing.B, m invalidationMode, n int) {
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{MaxEntries: -1})
	defer c.Close()
	inv, put := m.setup(ctx, n)
	want, round := 1, min(n, 100)
	if m.whole {
		want, round = n, 1
	}
	refill := func(next, removed int) {
		if m.whole {
			removed = n
		}
		for j := range removed {
			put((next - removed + j + n) % n)
		}
	}
	// The first invalidation builds the indexes.
	if got := inv(0); got != want {
		b.Fatalf("invalidation removed %d entries; want %d", got, want)
	}
	refill(1, 1)

	next, removed := 0, 0
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		removed += inv(next) // sums to the entries removed this round
		next = (next + 1) % n
		if m.whole || next%round == 0 {
			cpu.pause() // before StopTimer, which reads the memory stats
			b.StopTimer()
			refill(next, round)
			b.StartTimer()
			cpu.resume()
		}
	}
	cpu.stop(b)
	if removed == 0 {
		b.Fatal("no invalidation removed anything")
	}
}

// setupByID returns a setup that stores entries of a method whose argument
// is the entries' unique ID, and invalidates them with inv.
func setupByID(inv func(ctx context.Context, i int) int) func(context.Context, int) (func(int) int, func(int)) {
	return func(ctx context.Context, n int) (func(int) int, func(int)) {
		byID := reqcache.Cache1(Customers, loadCustomer, CustomerID, reqcache.IDFromParam(CustomerID))
		vs := make([]Customer, n)
		for i := range vs {
			vs[i], _ = loadCustomer(ctx, int64(i))
		}
		put := func(i int) { byID.Prime(ctx, int64(i), vs[i]) }
		for i := range n {
			put(i)
		}
		return func(i int) int { return inv(ctx, i) }, put
	}
}

// loadByFullName is a free repository read by two parameters.
func loadByFullName(_ context.Context, name, preName string) (Customer, error) {
	return Customer{Name: name, PreName: preName}, nil
}

// setupByParam stores entries of a method of two parameters, name and
// preName, that share their name and differ in their preName, and
// invalidates them by preName alone.
func setupByParam(ctx context.Context, n int) (func(int) int, func(int)) {
	byFullName := reqcache.Cache2(Customers, loadByFullName, Name, PreName)
	vs := make([]Customer, n)
	for i := range vs {
		vs[i], _ = loadByFullName(ctx, "Ann", "Smith"+strconv.Itoa(i))
	}
	put := func(i int) { byFullName.Prime(ctx, vs[i].Name, vs[i].PreName, vs[i]) }
	for i := range n {
		put(i)
	}
	inv := func(i int) int {
		removed, _ := invalidate.Match(ctx, Customers, PreName.Is(vs[i].PreName))
		return removed
	}
	return inv, put
}

// loadOrder is a free repository read of an order, whose customer has the
// same number.
func loadOrder(_ context.Context, id int64) (Order, error) {
	return Order{ID: id, CustomerID: id}, nil
}

// orderTags tags an order with its customer.
func orderTags(o Order) []region.Tag { return []region.Tag{Customers.Tag(o.CustomerID)} }

// setupByTag stores orders, each tagged with a customer of its own, and
// invalidates them by the customer's tag.
func setupByTag(ctx context.Context, n int) (func(int) int, func(int)) {
	byID := reqcache.Cache1(Orders, loadOrder, OrderID, reqcache.TagsFromResult(orderTags))
	vs := make([]Order, n)
	for i := range vs {
		vs[i], _ = loadOrder(ctx, int64(i))
	}
	put := func(i int) { byID.Prime(ctx, vs[i].ID, vs[i]) }
	for i := range n {
		put(i)
	}
	inv := func(i int) int { return invalidate.Tags(ctx, Customers.Tag(vs[i].CustomerID)) }
	return inv, put
}

// BenchmarkInvalidateChurn measures one invalidation of an entry among n
// and the Prime that puts it back, timed together, by unique ID, by
// parameter and by tag: the counterpart of BenchmarkChurn. With nothing
// untimed in its loop, it is the form of BenchmarkInvalidate that
// callgrind.sh can count, which counts untimed work too: if the pair's
// instructions per op stay flat from 10 to 100,000 entries, so do the
// invalidation's.
func BenchmarkInvalidateChurn(b *testing.B) {
	var cases []benchCase
	for _, m := range invalidationModes {
		if m.whole {
			continue
		}
		for _, n := range invalidationSizes {
			cases = append(cases, benchCase{fmt.Sprintf("%s/entries=%d", m.name, n), func(b *testing.B) {
				benchmarkInvalidateChurn(b, m, n)
			}})
		}
	}
	runCases(b, cases)
}

func benchmarkInvalidateChurn(b *testing.B, m invalidationMode, n int) {
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{MaxEntries: -1})
	defer c.Close()
	inv, put := m.setup(ctx, n)
	inv(0) // builds the indexes
	put(0)
	b.ReportAllocs()
	cpu := startCPU()
	i := 0
	for b.Loop() {
		if inv(i) != 1 {
			b.Fatalf("invalidation of entry %d removed no entry, or more than one", i)
		}
		put(i)
		if i++; i == n {
			i = 0
		}
	}
	cpu.stop(b)
}
