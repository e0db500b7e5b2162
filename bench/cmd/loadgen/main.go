// Command loadgen drives the example app, examples/chi-app, over loopback
// with its request cache on and off, and reports requests per second and
// database queries per request (the app's X-DB-Queries header) for
// GET /customers/{id} and GET /dashboard.
//
// It builds the app (or runs the binary -app names), starts it twice, with
// -cache=true and -cache=false, each on a fresh database seeded with -seed
// customers, and then, for every round, drives each route on each server in
// turn for -d with -c concurrent clients on keep-alive connections,
// alternating which server goes first; with -shuffle, every round measures
// its cases (each route on each server) in a random order instead.
// bench/loadrounds.sh runs it on both stores in interleaved rounds. Every measurement is one line in the
// format of go test -bench, so that benchstat reads the output:
//
//	go run ./bench/cmd/loadgen -rounds 10 -d 3s -c 4 | tee load.txt
//	benchstat -col /cache load.txt
//
// ns/op is the wall time per request (the inverse of the throughput),
// req/s the throughput, queries/req the mean of X-DB-Queries, p50-ns and
// p99-ns the latency percentiles a client saw, and app-cpu-ns/req the CPU
// time (user and system, all threads) the app's process spent per request,
// from /proc/<pid>/stat (Linux only; 0 elsewhere). The app and the load
// generator share the machine's cores, so the throughput depends on both;
// app-cpu-ns/req is the app's cost alone.
//
// With -db postgres://..., both apps serve the same PostgreSQL database
// instead of a fresh SQLite file each; the first seeds it if it is empty.
// The routes only read, so the two share it without disturbing each other:
//
//	go run ./bench/cmd/loadgen -db 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable'
//
// The apps run with -access-log=false: a log line per request would cost
// more than the cache under test.
//
// Run it from inside the repository's workspace, so that go build finds
// the app's module.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// appPackage is the import path of the example app, built with go build.
const appPackage = "github.com/reqcache/reqcache/examples/chi-app"

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// config is what the flags set.
type config struct {
	app     string
	db      string
	seed    int
	clients int
	dur     time.Duration
	warmup  time.Duration
	rounds  int
	shuffle bool
	routes  []route
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	var routeNames string
	fs.StringVar(&cfg.app, "app", "", "the app's binary; empty builds "+appPackage+" into a temporary directory")
	fs.StringVar(&cfg.db, "db", "", "the apps' database, passed to their -db: empty gives each a fresh temporary SQLite file; a postgres:// URL is shared by both")
	fs.IntVar(&cfg.seed, "seed", 1000, "customers to seed each app's database with")
	fs.IntVar(&cfg.clients, "c", 4, "concurrent clients")
	fs.DurationVar(&cfg.dur, "d", 3*time.Second, "duration of one measurement")
	fs.DurationVar(&cfg.warmup, "warmup", 500*time.Millisecond, "unmeasured load before each measurement")
	fs.IntVar(&cfg.rounds, "rounds", 5, "rounds; each measures every route on both apps")
	fs.BoolVar(&cfg.shuffle, "shuffle", false, "measure the cases of each round (every route on both apps) in a random order; false alternates which app goes first")
	fs.StringVar(&routeNames, "routes", "customer,dashboard", "comma-separated routes to drive: customer (GET /customers/{id}), dashboard (GET /dashboard)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, name := range strings.Split(routeNames, ",") {
		r, ok := routeByName(name)
		if !ok {
			return fmt.Errorf("unknown route %q", name)
		}
		cfg.routes = append(cfg.routes, r)
	}
	if cfg.seed < 1 || cfg.clients < 1 || cfg.rounds < 1 || cfg.dur <= 0 {
		return errors.New("-seed, -c, -rounds and -d must be positive")
	}

	ctx := context.Background()
	if cfg.app == "" {
		dir, err := os.MkdirTemp("", "loadgen-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cfg.app = filepath.Join(dir, "chi-app")
		build := exec.CommandContext(ctx, "go", "build", "-o", cfg.app, appPackage)
		build.Stdout, build.Stderr = stderr, stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("go build %s: %w", appPackage, err)
		}
	}

	apps := make([]*app, 2)
	for i, cacheOn := range []bool{true, false} {
		a, err := startApp(ctx, cfg.app, cacheOn, cfg.seed, cfg.db, stderr)
		if err != nil {
			return err
		}
		defer a.stop()
		apps[i] = a
	}

	fmt.Fprintf(stdout, "goos: %s\ngoarch: %s\npkg: %s\n", runtime.GOOS, runtime.GOARCH, appPackage)
	fmt.Fprintf(stdout, "# loadgen -seed %d -c %d -d %s -warmup %s -rounds %d -shuffle=%v -routes %s; database %s; GOMAXPROCS %d, NumCPU %d\n",
		cfg.seed, cfg.clients, cfg.dur, cfg.warmup, cfg.rounds, cfg.shuffle, routeNames, dbKind(cfg.db), runtime.GOMAXPROCS(0), runtime.NumCPU())
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0))
	for round := range cfg.rounds {
		for _, c := range cfg.cases(round, apps, rng) {
			if cfg.warmup > 0 {
				if _, err := drive(c.app, c.route, cfg.clients, cfg.warmup, cfg.seed); err != nil {
					return err
				}
			}
			res, err := drive(c.app, c.route, cfg.clients, cfg.dur, cfg.seed)
			if err != nil {
				return err
			}
			fmt.Fprintln(stdout, res.line(c.route, c.app.cacheOn))
		}
	}
	return nil
}

// A measurement is one route on one app.
type measurement struct {
	route route
	app   *app
}

// cases returns the measurements of a round, in the order to run them:
// every route on both apps, the routes in turn, with the app that goes
// first alternating from round to round, or all in a random order with
// -shuffle.
func (cfg *config) cases(round int, apps []*app, rng *rand.Rand) []measurement {
	var ms []measurement
	for _, r := range cfg.routes {
		order := apps
		if round%2 == 1 {
			order = []*app{apps[1], apps[0]}
		}
		for _, a := range order {
			ms = append(ms, measurement{r, a})
		}
	}
	if cfg.shuffle {
		rng.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
	}
	return ms
}

// dbKind names the kind of database of the -db flag.
func dbKind(db string) string {
	if strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://") {
		return "postgres"
	}
	return "sqlite"
}

// A route is a request to drive.
type route struct {
	name string
	// path returns the path of a request; rng picks its arguments, ids
	// run from 1 to seed.
	path func(rng *rand.Rand, seed int) string
}

var routes = []route{
	{"customer", func(rng *rand.Rand, seed int) string {
		return "/customers/" + strconv.Itoa(1+rng.IntN(seed))
	}},
	{"dashboard", func(*rand.Rand, int) string { return "/dashboard" }},
}

func routeByName(name string) (route, bool) {
	for _, r := range routes {
		if r.name == strings.TrimSpace(name) {
			return r, true
		}
	}
	return route{}, false
}

// An app is a running example app.
type app struct {
	cacheOn bool
	base    string // http://host:port
	cmd     *exec.Cmd
	done    chan struct{}
	client  *http.Client
}

// startApp starts the app's binary on a port of its choosing on loopback,
// and waits until it listens.
func startApp(ctx context.Context, bin string, cacheOn bool, seed int, db string, stderr io.Writer) (*app, error) {
	args := []string{"-addr", "127.0.0.1:0", "-seed", strconv.Itoa(seed), "-cache=" + strconv.FormatBool(cacheOn), "-access-log=false"}
	if db != "" {
		args = append(args, "-db", db)
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	out, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	a := &app{cacheOn: cacheOn, cmd: cmd, done: make(chan struct{})}
	addrc := make(chan string, 1)
	go func() {
		defer close(a.done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			if addr, ok := listenAddr(line); ok {
				select {
				case addrc <- addr:
				default:
				}
				continue
			}
			if !strings.Contains(line, " INFO ") {
				fmt.Fprintf(stderr, "app (cache=%v): %s\n", cacheOn, line)
			}
		}
	}()
	select {
	case addr := <-addrc:
		a.base = "http://" + addr
	case <-a.done:
		_ = cmd.Wait()
		return nil, fmt.Errorf("app (cache=%v) exited before it listened", cacheOn)
	case <-time.After(time.Minute):
		a.stop()
		return nil, fmt.Errorf("app (cache=%v) did not listen within a minute", cacheOn)
	}
	a.client = &http.Client{Transport: &http.Transport{
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 256,
		DisableCompression:  true,
	}}
	return a, nil
}

// listenAddr returns the address of the app's "listening" log line.
func listenAddr(line string) (string, bool) {
	if !strings.Contains(line, "listening") {
		return "", false
	}
	for f := range strings.FieldsSeq(line) {
		if addr, ok := strings.CutPrefix(f, "addr="); ok {
			return strings.Trim(addr, `"`), true
		}
	}
	return "", false
}

// stop interrupts the app, which shuts down gracefully, and waits for it.
func (a *app) stop() {
	if a.cmd.Process == nil || a.cmd.ProcessState != nil {
		return
	}
	_ = a.cmd.Process.Signal(os.Interrupt)
	select {
	case <-a.done:
	case <-time.After(15 * time.Second):
		_ = a.cmd.Process.Kill()
	}
	_ = a.cmd.Wait()
}

// clockTick is the unit of the CPU times in /proc/<pid>/stat: USER_HZ,
// which is 100 on every Linux architecture Go supports.
const clockTick = 10 * time.Millisecond

// cpu returns the CPU time, user and system, the app's process has used so
// far, or 0 if /proc does not tell.
func (a *app) cpu() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", a.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	return statCPU(string(b))
}

// statCPU returns utime+stime of a /proc/<pid>/stat line, or 0.
func statCPU(stat string) time.Duration {
	// The command name, field 2, is in parentheses and may hold spaces.
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(stat[i+1:]) // f[0] is field 3, the state
	if len(f) < 13 {
		return 0
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		return 0
	}
	return time.Duration(utime+stime) * clockTick
}

// A result is what one measurement saw.
type result struct {
	n       int
	queries int64
	dur     time.Duration
	lat     []time.Duration // sorted
	appCPU  time.Duration   // CPU time of the app's process
}

// line formats r as a line of go test -bench output.
func (r result) line(rt route, cacheOn bool) string {
	mode := "off"
	if cacheOn {
		mode = "on"
	}
	pct := func(p float64) int64 {
		return int64(r.lat[min(len(r.lat)-1, int(p*float64(len(r.lat))))])
	}
	return fmt.Sprintf("BenchmarkLoad/route=%s/cache=%s\t%d\t%.0f ns/op\t%.0f req/s\t%.3f queries/req\t%d p50-ns\t%d p99-ns\t%.0f app-cpu-ns/req",
		rt.name, mode, r.n,
		float64(r.dur.Nanoseconds())/float64(r.n),
		float64(r.n)/r.dur.Seconds(),
		float64(r.queries)/float64(r.n),
		pct(0.50), pct(0.99),
		float64(r.appCPU.Nanoseconds())/float64(r.n))
}

// drive sends requests of rt to a from clients goroutines for d, and
// returns what they saw. Every response must be 200 with an X-DB-Queries
// header.
func drive(a *app, rt route, clients int, d time.Duration, seed int) (result, error) {
	type part struct {
		n       int
		queries int64
		lat     []time.Duration
		err     error
	}
	parts := make([]part, clients)
	cpu0 := a.cpu()
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for i := range parts {
		wg.Go(func() {
			p := &parts[i]
			rng := rand.New(rand.NewPCG(uint64(i), uint64(start.UnixNano())))
			for time.Now().Before(deadline) {
				t0 := time.Now()
				q, err := get(a.client, a.base+rt.path(rng, seed))
				if err != nil {
					p.err = err
					return
				}
				p.lat = append(p.lat, time.Since(t0))
				p.n++
				p.queries += q
			}
		})
	}
	wg.Wait()
	res := result{dur: time.Since(start), appCPU: a.cpu() - cpu0}
	for _, p := range parts {
		if p.err != nil {
			return result{}, fmt.Errorf("%s on the app with cache=%v: %w", rt.name, a.cacheOn, p.err)
		}
		res.n += p.n
		res.queries += p.queries
		res.lat = append(res.lat, p.lat...)
	}
	if res.n == 0 {
		return result{}, fmt.Errorf("%s on the app with cache=%v: no request completed in %s", rt.name, a.cacheOn, d)
	}
	slices.Sort(res.lat)
	return res, nil
}

// get sends GET url and returns the response's X-DB-Queries.
func get(c *http.Client, url string) (int64, error) {
	res, err := c.Get(url)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return 0, err
	}
	if res.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: status %d", url, res.StatusCode)
	}
	q, err := strconv.ParseInt(res.Header.Get("X-DB-Queries"), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("GET %s: X-DB-Queries %q", url, res.Header.Get("X-DB-Queries"))
	}
	return q, nil
}
