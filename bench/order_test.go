package bench

import (
	"flag"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"
)

// roundOrder returns the cases of the benchmark b in the order this run
// takes them. go test -shuffle shuffles the order of top-level benchmarks
// only; roundOrder shuffles a benchmark's sub-benchmarks too, with the same
// seed and the benchmark's name, so that no case of a comparison always
// runs first (on a cold heap) or last (after the others' garbage). Without
// -shuffle, it returns cases as they are.
func roundOrder[T any](b *testing.B, cases []T) []T {
	seed, ok := shuffleSeed()
	if !ok {
		return cases
	}
	return shuffled(cases, seed, b.Name())
}

// A benchCase is one case of a benchmark: a sub-benchmark.
type benchCase struct {
	name  string
	bench func(b *testing.B)
}

// runCases runs each case as a sub-benchmark of b, in roundOrder.
func runCases(b *testing.B, cases []benchCase) {
	for _, c := range roundOrder(b, cases) {
		b.Run(c.name, c.bench)
	}
}

// shuffleSeed returns the seed of -test.shuffle, and whether it is set.
func shuffleSeed() (uint64, bool) {
	f := flag.Lookup("test.shuffle")
	if f == nil {
		return 0, false
	}
	switch v := f.Value.String(); v {
	case "off", "":
		return 0, false
	case "on":
		return uint64(time.Now().UnixNano()), true
	default:
		n, err := strconv.ParseInt(v, 10, 64)
		return uint64(n), err == nil
	}
}

// shuffled returns a copy of cases in an order drawn from seed and name.
func shuffled[T any](cases []T, seed uint64, name string) []T {
	h := fnv.New64a()
	h.Write([]byte(name))
	r := rand.New(rand.NewPCG(seed, h.Sum64()))
	out := slices.Clone(cases)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// TestShuffled checks that shuffled keeps every case, depends on its seed
// and name only, and orders differently for some seeds.
func TestShuffled(t *testing.T) {
	cases := []int{0, 1, 2, 3, 4, 5, 6, 7}
	orders := map[string]bool{}
	for seed := range uint64(20) {
		got := shuffled(cases, seed, "Request")
		if again := shuffled(cases, seed, "Request"); !slices.Equal(got, again) {
			t.Fatalf("shuffled(%v, %d) = %v, then %v; want the same order", cases, seed, got, again)
		}
		if sorted := slices.Sorted(slices.Values(got)); !slices.Equal(sorted, cases) {
			t.Fatalf("shuffled(%v, %d) = %v; want a permutation", cases, seed, got)
		}
		orders[fmt.Sprint(got)] = true
	}
	if len(orders) < 2 {
		t.Errorf("shuffled gave %d orders over 20 seeds; want several", len(orders))
	}
	if !slices.Equal(cases, []int{0, 1, 2, 3, 4, 5, 6, 7}) {
		t.Errorf("shuffled changed its argument to %v", cases)
	}
}
