package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestListenAddr(t *testing.T) {
	for _, tt := range []struct {
		line, want string
		ok         bool
	}{
		{`2026/01/02 03:04:05 INFO listening addr=127.0.0.1:41234 cache=true db=/tmp/x/shop.db`, "127.0.0.1:41234", true},
		{`time=2026-01-02T03:04:05Z level=INFO msg=listening addr=127.0.0.1:80 cache=false`, "127.0.0.1:80", true},
		{`2026/01/02 03:04:05 INFO seeded db=/tmp/x/shop.db customers=1000 orders=3000`, "", false},
	} {
		got, ok := listenAddr(tt.line)
		if got != tt.want || ok != tt.ok {
			t.Errorf("listenAddr(%q) = %q, %v; want %q, %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
}

func TestResultLine(t *testing.T) {
	r := result{n: 4, queries: 8, dur: time.Second, lat: []time.Duration{1, 2, 3, 4}, appCPU: time.Millisecond}
	rt, _ := routeByName("dashboard")
	got := r.line(rt, true)
	want := "BenchmarkLoad/route=dashboard/cache=on\t4\t250000000 ns/op\t4 req/s\t2.000 queries/req\t3 p50-ns\t4 p99-ns\t250000 app-cpu-ns/req"
	if got != want {
		t.Errorf("line = %q; want %q", got, want)
	}
	if !strings.HasPrefix(got, "Benchmark") {
		t.Error("not a benchmark line")
	}
}

func TestStatCPU(t *testing.T) {
	stat := "4242 (chi app) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 37 0 0 20 0 9 0 123 456 789"
	if got, want := statCPU(stat), 287*clockTick; got != want {
		t.Errorf("statCPU = %v; want %v", got, want)
	}
	if got := statCPU("garbage"); got != 0 {
		t.Errorf("statCPU(garbage) = %v; want 0", got)
	}
}

func TestDBKind(t *testing.T) {
	for _, tt := range []struct{ db, want string }{
		{"", "sqlite"},
		{"/tmp/shop.db", "sqlite"},
		{"postgres://u@127.0.0.1:5432/db", "postgres"},
		{"postgresql://u@127.0.0.1/db", "postgres"},
	} {
		if got := dbKind(tt.db); got != tt.want {
			t.Errorf("dbKind(%q) = %q; want %q", tt.db, got, tt.want)
		}
	}
}

// names formats measurements as route/cache.
func names(ms []measurement) []string {
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%s/%v", m.route.name, m.app.cacheOn))
	}
	return out
}

func TestCases(t *testing.T) {
	apps := []*app{{cacheOn: true}, {cacheOn: false}}
	cfg := &config{routes: routes}
	rng := rand.New(rand.NewPCG(1, 2))
	want := [][]string{
		{"customer/true", "customer/false", "dashboard/true", "dashboard/false"},
		{"customer/false", "customer/true", "dashboard/false", "dashboard/true"},
	}
	for round, w := range want {
		if got := names(cfg.cases(round, apps, rng)); !slices.Equal(got, w) {
			t.Errorf("cases(%d) = %v; want %v", round, got, w)
		}
	}
	// Shuffled, every case is measured once per round, and the orders
	// differ between rounds.
	cfg.shuffle = true
	orders := map[string]bool{}
	for round := range 20 {
		got := names(cfg.cases(round, apps, rng))
		orders[strings.Join(got, ",")] = true
		slices.Sort(got)
		if w := slices.Sorted(slices.Values(want[0])); !slices.Equal(got, w) {
			t.Fatalf("shuffled cases(%d) = %v; want each of %v once", round, got, w)
		}
	}
	if len(orders) < 2 {
		t.Errorf("shuffled cases: one order in 20 rounds; want several")
	}
}
