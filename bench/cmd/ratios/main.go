// Command ratios reads go test -bench output made of several runs, and
// prints per-run paired ratios (or differences) of one benchmark against
// others, with their median and quartiles over the runs; with -table, the
// median of every benchmark in each unit, as a Markdown table.
//
// A run is one invocation of a test binary: the output of several
// invocations appended to one file is split at each invocation's "goos:"
// header, and where a benchmark name repeats.
// Pairing within a run cancels out what the host's load did to that run,
// which the medians of benchstat, taken over all runs, do not.
//
//	go run ./bench/cmd/ratios -base Request/reqcache -vs 'Request/otter-pooled-raw,Request/otter-shared-raw' -min Request.txt
//	go run ./bench/cmd/ratios -base Request/reqcache -vs Request/mapmutex,Request/dataloadgen Request.txt
//	go run ./bench/cmd/ratios -base Middleware/reqcache -vs Middleware/none -diff Middleware.txt
//	go run ./bench/cmd/ratios -base Invalidate/id/entries=100000 -vs Invalidate/id/entries=10 Invalidate.txt
//	go run ./bench/cmd/ratios -unit cpu-ns/op -base Request/reqcache -vs Request/otter-pooled-raw rounds.txt
//	go run ./bench/cmd/ratios -table -match '^Request/' rounds.txt
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
	"regexp"
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
	table := fs.Bool("table", false, "print the median of every benchmark in each of -units, instead of ratios")
	units := fs.String("units", "ns/op,cpu-ns/op,B/op,allocs/op", "the comma-separated units of -table")
	match := fs.String("match", "", "with -table, only the benchmarks whose name matches this regular expression")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 || (!*table && (*base == "" || *vs == "")) {
		return errors.New("usage: ratios -base NAME -vs NAME[,NAME...] [-min] [-diff] [-unit U] FILE...\n       ratios -table [-match REGEXP] [-units U,U...] FILE...")
	}
	all, err := parseFiles(fs.Args())
	if err != nil {
		return err
	}
	if *table {
		re, err := regexp.Compile(*match)
		if err != nil {
			return err
		}
		return medianTable(stdout, all, strings.Split(*units, ","), re)
	}
	runs := inUnit(all, *unit)
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

// A benchRun is what one invocation measured: each benchmark's value in each
// unit, by the benchmark's name.
type benchRun = map[string]map[string]float64

// parseFiles reads the runs of every file in names.
func parseFiles(names []string) ([]benchRun, error) {
	var runs []benchRun
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		rs, err := parseRuns(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		runs = append(runs, rs...)
	}
	return runs, nil
}

// parseRuns reads benchmark lines from r, and returns every benchmark's
// values, run by run. A run ends at a "goos:" line, which go test prints
// at the start of each invocation, and where a benchmark name repeats.
func parseRuns(r io.Reader) ([]benchRun, error) {
	var runs []benchRun
	cur := benchRun{}
	next := func() {
		if len(cur) > 0 {
			runs = append(runs, cur)
			cur = benchRun{}
		}
	}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "goos:") {
			next()
			continue
		}
		name, vals, ok := parseLine(line)
		if !ok {
			continue
		}
		if _, seen := cur[name]; seen {
			next()
		}
		cur[name] = vals
	}
	next()
	return runs, sc.Err()
}

// inUnit returns the value of every benchmark in unit, run by run.
func inUnit(runs []benchRun, unit string) []map[string]float64 {
	out := make([]map[string]float64, len(runs))
	for i, r := range runs {
		out[i] = map[string]float64{}
		for name, vals := range r {
			if v, ok := vals[unit]; ok {
				out[i][name] = v
			}
		}
	}
	return out
}

// parseLine returns the name of a benchmark line, without its Benchmark
// prefix and -GOMAXPROCS suffix, and its value in each unit.
func parseLine(line string) (string, map[string]float64, bool) {
	f := strings.Fields(line)
	if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
		return "", nil, false
	}
	name := strings.TrimPrefix(f[0], "Benchmark")
	if i := strings.LastIndexByte(name, '-'); i >= 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			name = name[:i]
		}
	}
	vals := map[string]float64{}
	for i := 2; i+1 < len(f); i += 2 {
		if v, err := strconv.ParseFloat(f[i], 64); err == nil {
			vals[f[i+1]] = v
		}
	}
	return name, vals, len(vals) > 0
}

// medianTable writes a Markdown table of the median over runs of every
// benchmark whose name matches re, in each unit, sorted by name.
func medianTable(w io.Writer, runs []benchRun, units []string, re *regexp.Regexp) error {
	var names []string
	seen := map[string]bool{}
	for _, r := range runs {
		for name := range r {
			if !seen[name] && re.MatchString(name) {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	if len(names) == 0 {
		return fmt.Errorf("no benchmark matches %q", re)
	}
	slices.Sort(names)
	fmt.Fprintf(w, "| benchmark | runs | %s |\n", strings.Join(units, " | "))
	fmt.Fprintf(w, "|---|---:|%s\n", strings.Repeat("---:|", len(units)))
	for _, name := range names {
		cells := make([]string, len(units))
		n := 0
		for i, u := range units {
			var xs []float64
			for _, r := range runs {
				if v, ok := r[name][u]; ok {
					xs = append(xs, v)
				}
			}
			n = max(n, len(xs))
			cells[i] = "–"
			if len(xs) > 0 {
				cells[i] = formatValue(median(xs))
			}
		}
		fmt.Fprintf(w, "| %s | %d | %s |\n", name, n, strings.Join(cells, " | "))
	}
	return nil
}

// summary returns the number of runs, the median and the quartiles (by
// nearest rank) of xs.
func summary(xs []float64) string {
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	med := median(s)
	rank := func(p float64) float64 { return s[max(0, int(math.Ceil(p*float64(n)))-1)] }
	return fmt.Sprintf("runs=%d median=%s quartiles=%s–%s", n, format(med), format(rank(0.25)), format(rank(0.75)))
}

// median returns the median of xs.
func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	if n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[n/2]
}

func format(x float64) string {
	if math.Abs(x) >= 100 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'f', 2, 64)
}

// formatValue formats a measured value: as an integer if it is one.
func formatValue(x float64) string {
	if x == math.Trunc(x) {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return format(x)
}

func formatAll(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = format(x)
	}
	return strings.Join(parts, " ")
}
