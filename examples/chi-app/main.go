// Command chi-app is a small storefront on chi and SQLite that serves every
// request with a request cache: see the README of reqcache.
//
//	go run ./examples/chi-app -addr :8080 -seed 1000
//	curl -i localhost:8080/dashboard
package main

import (
	"context"
	"errors"
	"flag"
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

	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		slog.Error(err.Error())
		os.Exit(1)
	}
}

// run runs the storefront until ctx ends, then shuts it down gracefully.
// Usage and flag errors go to stderr.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("chi-app", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", ":8080", "address to listen on")
	dbPath := fs.String("db", "", "SQLite database file; empty means a fresh temporary file, removed at exit")
	seed := fs.Int("seed", 1000, "number of customers to create in an empty database")
	cacheOn := fs.Bool("cache", true, "serve every request with a request cache; false serves the same routes without")
	verbose := fs.Bool("v", false, "log at debug level: every invalidation, and every request's cache stats")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *verbose {
		slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})))
	}
	if *dbPath == "" {
		dir, err := os.MkdirTemp("", "chi-app-")
		if err != nil {
			return fmt.Errorf("chi-app: %w", err)
		}
		defer os.RemoveAll(dir)
		*dbPath = filepath.Join(dir, "shop.db")
	}

	db, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if seeded, err := db.Seed(ctx, *seed); err != nil {
		return err
	} else if seeded {
		slog.Info("seeded", "db", *dbPath, "customers", *seed, "orders", store.OrdersPerCustomer*(*seed))
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("chi-app: %w", err)
	}
	slog.Info("listening", "addr", ln.Addr().String(), "cache", *cacheOn, "db", *dbPath)
	return serve(ctx, &http.Server{Handler: newServer(db, *cacheOn), ReadHeaderTimeout: 10 * time.Second}, ln)
}

// serve serves srv on ln until ctx ends, then shuts srv down, letting the
// requests under way finish for up to 10 seconds.
func serve(ctx context.Context, srv *http.Server, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("chi-app: %w", err)
	case <-ctx.Done():
	}
	slog.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("chi-app: shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("chi-app: %w", err)
	}
	return nil
}
