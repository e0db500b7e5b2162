// Command chi-app is a small storefront on chi and SQLite or PostgreSQL
// that serves every request with a request cache: see its README.
//
//	go run ./examples/chi-app -addr 127.0.0.1:8080 -seed 1000
//	curl -i localhost:8080/dashboard
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/reqcache/reqcache/examples/chi-app/internal/api"
	"github.com/reqcache/reqcache/examples/chi-app/internal/cached"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second signal kills at once
	}()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		slog.Error(err.Error())
		os.Exit(1)
	}
}

// run runs the storefront until ctx ends, then shuts it down gracefully.
// Usage and flag errors go to stderr.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if cfg.verbose {
		slog.SetDefault(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug})))
	}
	logger := slog.Default()
	if cfg.db == "" {
		dir, err := os.MkdirTemp("", "chi-app-")
		if err != nil {
			return fmt.Errorf("chi-app: %w", err)
		}
		defer os.RemoveAll(dir)
		cfg.db = filepath.Join(dir, "shop.db")
	}

	db, err := store.Open(ctx, cfg.db)
	if err != nil {
		return fmt.Errorf("chi-app: -db: %w", err)
	}
	defer db.Close()
	if seeded, err := db.Seed(ctx, cfg.seed); err != nil {
		return fmt.Errorf("chi-app: %w", err)
	} else if seeded {
		logger.Info("seeded", "db", db.Name(), "customers", cfg.seed, "orders", store.OrdersPerCustomer*cfg.seed)
	}

	health := api.NewHealth(db.Ping, logger)
	opts := api.Options{
		Logger:          logger,
		Cache:           cfg.cacheOn,
		ServerTimingFor: cfg.timing,
		AccessLog:       cfg.accessLog,
		Health:          health,
		Pprof:           cfg.pprof,
		BodyTimeout:     cfg.bodyDeadline(),
	}
	if cfg.metrics {
		if opts.Metrics, err = api.NewOTelMetrics(); err != nil {
			return fmt.Errorf("chi-app: %w", err)
		}
	}
	srv := cfg.server(api.NewRouter(cached.New(db), opts), logger)

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("chi-app: %w", err)
	}
	logger.Info("listening", "addr", ln.Addr().String(), "cache", cfg.cacheOn, "db", db.Name())
	return serve(ctx, srv, ln, health, cfg.shutdown)
}

// bodyDeadline returns the body timeout to give the API: none where it
// could reach past the ReadTimeout, which then bounds the body alone. (The
// API sets a read deadline; a later one would lift the server's.)
func (cfg *config) bodyDeadline() time.Duration {
	if cfg.readTimeout > 0 && cfg.readHeaderTimeout+cfg.bodyTimeout >= cfg.readTimeout {
		return 0
	}
	return cfg.bodyTimeout
}

// server returns the http.Server of the config, serving h.
func (cfg *config) server(h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: cfg.readHeaderTimeout,
		ReadTimeout:       cfg.readTimeout,
		WriteTimeout:      cfg.writeTimeout,
		IdleTimeout:       cfg.idleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
	}
}
