package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// shutdown is how the server stops.
type shutdown struct {
	drain   time.Duration // serving on, unready, before Shutdown
	timeout time.Duration // for Shutdown, before Close
}

// A drainer is told when the server starts draining: /readyz.
type drainer interface{ Drain() }

// serve serves srv on ln until ctx ends, then stops it: it tells d to
// drain, and serves on for the drain period with keep-alives off, so that
// load balancers and clients move away; then it shuts srv down, letting the
// requests under way finish within the shutdown timeout, and closes the
// connections left after it. A stop that closed connections is not an
// error.
func serve(ctx context.Context, srv *http.Server, ln net.Listener, d drainer, sd shutdown) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("chi-app: %w", err)
	case <-ctx.Done():
	}
	d.Drain() // before the log line, which tells that /readyz answers 503
	slog.Info("draining", "for", sd.drain)
	srv.SetKeepAlivesEnabled(false)
	drain := time.NewTimer(sd.drain)
	defer drain.Stop()
	select {
	case err := <-errc:
		return fmt.Errorf("chi-app: %w", err)
	case <-drain.C:
	}

	slog.Info("shutting down", "timeout", sd.timeout)
	sctx, cancel := context.WithTimeout(context.Background(), sd.timeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		if !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("chi-app: shutdown: %w", err)
		}
		slog.Warn("shutdown: requests still under way after the timeout; closing their connections")
		if err := srv.Close(); err != nil {
			return fmt.Errorf("chi-app: close: %w", err)
		}
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("chi-app: %w", err)
	}
	slog.Info("stopped")
	return nil
}
