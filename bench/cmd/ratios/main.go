// Command ratios reads go test -bench output made of several runs, and
// prints per-run paired ratios (or differences) of one benchmark against
// others, with their median and quartiles over the runs.
//
// A run is one invocation of a test binary: the output of several
// invocations appended to one file is split where a benchmark name repeats.
// Pairing within a run cancels out what the host's load did to that run,
// which the medians of benchstat, taken over all runs, do not.
//
//	go run ./bench/cmd/ratios -base Request/reqcache -vs 'Request/otter-pooled-raw,Request/otter-shared-raw' -min Request.txt
//	go run ./bench/cmd/ratios -base Request/reqcache -vs Request/mapmutex,Request/dataloadgen Request.txt
//	go run ./bench/cmd/ratios -base Middleware/reqcache -vs Middleware/none -diff Middleware.txt
//	go run ./bench/cmd/ratios -base Invalidate/id/entries=100000 -vs Invalidate/id/entries=10 Invalidate.txt
//
// Names are given without the Benchmark prefix and the -GOMAXPROCS suffix.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "ratios:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ratios", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("base", "", "the benchmark in the numerator")
	vs := fs.String("vs", "", "comma-separated benchmarks in the denominator, each paired with base")
	unit := fs.String("unit", "ns/op", "the unit compared")
	useMin := fs.Bool("min", false, "pair base with the smallest of the -vs benchmarks in each run, instead of with each")
	diff := fs.Bool("diff", false, "print base minus the peer instead of base over the peer")
	verbose := fs.Bool("v", false, "print every run's value")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *base == "" || *vs == "" || fs.NArg() == 0 {
		return errors.New("usage: ratios -base NAME -vs NAME[,NAME...] [-min] [-diff] [-unit U] FILE...")
	}
	var runs []map[string]float64
	for _, name := range fs.Args() {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		rs, err := parseRuns(f, *unit)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		runs = append(runs, rs...)
	}
	peers := strings.Split(*vs, ",")
	groups := [][]string{}
	if *useMin {
		groups = append(groups, peers)
	} else {
		for _, p := range peers {
			groups = append(groups, []string{p})
		}
	}
	op, sym := func(a, b float64) float64 { return a / b }, "÷"
	if *diff {
		op, sym = func(a, b float64) float64 { return a - b }, "−"
	}
	for _, g := range groups {
		var xs []float64
		for _, r := range runs {
			b, ok := r[*base]
			if !ok {
				continue
			}
			d := math.Inf(1)
			for _, p := range g {
				if v, ok := r[p]; ok {
					d = min(d, v)
				}
			}
			if math.IsInf(d, 1) {
				continue
			}
			xs = append(xs, op(b, d))
		}
		peer := g[0]
		if len(g) > 1 {
			peer = "min(" + strings.Join(g, ", ") + ")"
		}
		if len(xs) == 0 {
			return fmt.Errorf("no run has both %s and %s in %s", *base, peer, *unit)
		}
		fmt.Fprintf(stdout, "%s %s %s (%s): %s\n", *base, sym, peer, *unit, summary(xs))
		if *verbose {
			fmt.Fprintf(stdout, "  runs: %s\n", formatAll(xs))
		}
	}
	return nil
}

// parseRuns reads benchmark lines from r, and returns the value in unit of
// every benchmark, run by run.
func parseRuns(r io.Reader, unit string) ([]map[string]float64, error) {
	var runs []map[string]float64
	cur := map[string]float64{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		name, v, ok := parseLine(sc.Text(), unit)
		if !ok {
			continue
		}
		if _, seen := cur[name]; seen {
			runs = append(runs, cur)
			cur = map[string]float64{}
		}
		cur[name] = v
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
	}
	return runs, sc.Err()
}

// parseLine returns the name of a benchmark line, without its Benchmark
// prefix and -GOMAXPROCS suffix, and its value in unit.
func parseLine(line, unit string) (string, float64, bool) {
	f := strings.Fields(line)
	if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
		return "", 0, false
	}
	name := strings.TrimPrefix(f[0], "Benchmark")
	if i := strings.LastIndexByte(name, '-'); i >= 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			name = name[:i]
		}
	}
	for i := 2; i+1 < len(f); i += 2 {
		if f[i+1] == unit {
			v, err := strconv.ParseFloat(f[i], 64)
			return name, v, err == nil
		}
	}
	return "", 0, false
}

// summary returns the number of runs, the median and the quartiles (by
// nearest rank) of xs.
func summary(xs []float64) string {
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	med := s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	rank := func(p float64) float64 { return s[max(0, int(math.Ceil(p*float64(n)))-1)] }
	return fmt.Sprintf("runs=%d median=%s quartiles=%s–%s", n, format(med), format(rank(0.25)), format(rank(0.75)))
}

func format(x float64) string {
	if math.Abs(x) >= 100 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'f', 2, 64)
}

func formatAll(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = format(x)
	}
	return strings.Join(parts, " ")
}
