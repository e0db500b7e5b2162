package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/reqcache/reqcache/examples/chi-app/internal/api"
)

// config is what the flags set.
type config struct {
	addr      string
	db        string
	seed      int
	cacheOn   bool
	verbose   bool
	accessLog bool
	metrics   bool
	pprof     bool
	timing    func(*http.Request) bool // which requests get Server-Timing

	readHeaderTimeout time.Duration
	readTimeout       time.Duration
	bodyTimeout       time.Duration
	writeTimeout      time.Duration
	idleTimeout       time.Duration
	shutdown          shutdown
}

// parseFlags parses the command line's flags.
func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("chi-app", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := new(config)
	fs.StringVar(&cfg.addr, "addr", ":8080", "address to listen on")
	fs.StringVar(&cfg.db, "db", "", "SQLite database file, created if missing, or a postgres:// URL; empty means a fresh temporary SQLite file, removed at exit")
	fs.IntVar(&cfg.seed, "seed", 1000, "number of customers to create in an empty database")
	fs.BoolVar(&cfg.cacheOn, "cache", true, "serve every request with a request cache; false serves the same routes without")
	fs.BoolVar(&cfg.verbose, "v", false, "log at debug level: every invalidation, and clients that went away")
	fs.BoolVar(&cfg.accessLog, "access-log", true, "log one line per request")
	fs.BoolVar(&cfg.metrics, "metrics", false, "serve at /metrics, for Prometheus, the OpenTelemetry metrics of the request caches and of the requests")
	timing := fs.String("server-timing", "all", "which responses carry the request cache's Server-Timing entry: all, loopback (clients on a loopback address) or off")
	fs.BoolVar(&cfg.pprof, "pprof", false, "serve net/http/pprof at /debug/pprof/ (profiles longer than -write-timeout are cut off)")
	fs.DurationVar(&cfg.readHeaderTimeout, "read-header-timeout", 5*time.Second, "time to read a request's header")
	fs.DurationVar(&cfg.readTimeout, "read-timeout", 30*time.Second, "time to read a whole request, header and body")
	fs.DurationVar(&cfg.bodyTimeout, "body-timeout", 10*time.Second, "time to read a request's body, once the handler starts reading it; ignored unless -read-header-timeout plus it is under -read-timeout, which then bounds the body")
	fs.DurationVar(&cfg.writeTimeout, "write-timeout", 30*time.Second, "time from the end of a request's header to the end of its response")
	fs.DurationVar(&cfg.idleTimeout, "idle-timeout", 120*time.Second, "time a keep-alive connection may wait for its next request")
	fs.DurationVar(&cfg.shutdown.drain, "drain", 3*time.Second, "on SIGTERM or SIGINT, time to keep serving with /readyz answering 503, before shutting down")
	fs.DurationVar(&cfg.shutdown.timeout, "shutdown-timeout", 10*time.Second, "time for the requests under way to finish after the drain; then their connections are closed")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	var err error
	if cfg.timing, err = api.ServerTimingFor(*timing); err != nil {
		return nil, fmt.Errorf("chi-app: -server-timing: %w", err)
	}
	if fs.NArg() > 0 {
		return nil, errors.New("chi-app: unexpected arguments; see -help")
	}
	for _, d := range []time.Duration{cfg.readHeaderTimeout, cfg.readTimeout, cfg.bodyTimeout, cfg.writeTimeout, cfg.idleTimeout, cfg.shutdown.drain, cfg.shutdown.timeout} {
		if d < 0 {
			return nil, errors.New("chi-app: durations must not be negative")
		}
	}
	return cfg, nil
}
