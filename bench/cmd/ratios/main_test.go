package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

const twoRuns = `goos: linux
BenchmarkX/a-2   	 100	 300.0 ns/op	 10 B/op	 1 allocs/op
BenchmarkX/b-2   	 100	 100.0 ns/op	 10 B/op	 1 allocs/op
BenchmarkX/c-2   	 100	 150.0 ns/op	 10 B/op	 1 allocs/op
PASS
BenchmarkX/a-2   	 100	 200.0 ns/op	 10 B/op	 1 allocs/op
BenchmarkX/b-2   	 100	 200.0 ns/op	 10 B/op	 1 allocs/op
BenchmarkX/c-2   	 100	 50.00 ns/op	 10 B/op	 1 allocs/op
`

func TestParseRuns(t *testing.T) {
	runs, err := parseRuns(strings.NewReader(twoRuns))
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0]["X/a"]["ns/op"] != 300 || runs[1]["X/c"]["ns/op"] != 50 || runs[1]["X/c"]["B/op"] != 10 {
		t.Fatalf("runs = %v", runs)
	}
}

// shuffledRuns are two invocations of a binary run with -test.shuffle, in
// which the first skipped a benchmark: only the headers tell them apart.
const shuffledRuns = `goos: linux
BenchmarkX/a-2   	 100	 300.0 ns/op	 600.0 cpu-ns/op
goos: linux
BenchmarkX/b-2   	 100	 100.0 ns/op	 200.0 cpu-ns/op
BenchmarkX/a-2   	 100	 200.0 ns/op	 300.0 cpu-ns/op
`

func TestParseRuns_SplitsAtHeaders(t *testing.T) {
	runs, err := parseRuns(strings.NewReader(shuffledRuns))
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || len(runs[0]) != 1 || runs[1]["X/a"]["cpu-ns/op"] != 300 || runs[1]["X/b"]["ns/op"] != 100 {
		t.Fatalf("parseRuns = %v; want 2 runs, the first with X/a alone", runs)
	}
	var out bytes.Buffer
	path := t.TempDir() + "/x.txt"
	if err := writeFile(path, shuffledRuns); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-unit", "cpu-ns/op", "-base", "X/a", "-vs", "X/b", path}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if want := "X/a ÷ X/b (cpu-ns/op): runs=1 median=1.50 quartiles=1.50–1.50\n"; out.String() != want {
		t.Errorf("output %q; want %q", out.String(), want)
	}
}

func TestTable(t *testing.T) {
	path := t.TempDir() + "/x.txt"
	if err := writeFile(path, twoRuns); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run([]string{"-table", "-match", "X/[ab]$", "-units", "ns/op,allocs/op,cpu-ns/op", path}, &out, &out); err != nil {
		t.Fatal(err)
	}
	want := "| benchmark | runs | ns/op | allocs/op | cpu-ns/op |\n" +
		"|---|---:|---:|---:|---:|\n" +
		"| X/a | 2 | 250 | 1 | – |\n" +
		"| X/b | 2 | 150 | 1 | – |\n"
	if out.String() != want {
		t.Errorf("-table:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestSummary(t *testing.T) {
	if got, want := summary([]float64{4, 1, 3, 2}), "runs=4 median=2.50 quartiles=1.00–3.00"; got != want {
		t.Errorf("summary = %q; want %q", got, want)
	}
	if got, want := summary([]float64{5, 1, 3}), "runs=3 median=3.00 quartiles=1.00–5.00"; got != want {
		t.Errorf("summary = %q; want %q", got, want)
	}
}

func TestParseLine(t *testing.T) {
	name, vals, ok := parseLine("BenchmarkLoad/route=customer/cache=on\t23854\t41932 ns/op\t23848 req/s\t1.000 queries/req")
	if name != "Load/route=customer/cache=on" || vals["queries/req"] != 1 || vals["ns/op"] != 41932 || !ok {
		t.Errorf("parseLine = %q, %v, %v", name, vals, ok)
	}
}

func TestMinAndDiff(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/x.txt"
	if err := writeFile(path, twoRuns); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run([]string{"-base", "X/a", "-vs", "X/b,X/c", "-min", path}, &out, &out); err != nil {
		t.Fatal(err)
	}
	// Run 1: 300 / min(100, 150) = 3; run 2: 200 / min(200, 50) = 4.
	if want := "X/a ÷ min(X/b, X/c) (ns/op): runs=2 median=3.50 quartiles=3.00–4.00\n"; out.String() != want {
		t.Errorf("-min: %q; want %q", out.String(), want)
	}
	out.Reset()
	if err := run([]string{"-base", "X/a", "-vs", "X/b", "-diff", path}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if want := "X/a − X/b (ns/op): runs=2 median=100 quartiles=0.00–200\n"; out.String() != want {
		t.Errorf("-diff: %q; want %q", out.String(), want)
	}
}

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o644) }
