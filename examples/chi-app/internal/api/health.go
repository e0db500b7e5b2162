package api

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"
)

// Health answers /healthz and /readyz. A zero Health is not valid; make
// one with NewHealth.
type Health struct {
	ping     func(ctx context.Context) error
	log      *slog.Logger
	draining atomic.Bool
}

// NewHealth returns a Health whose readiness also asks ping, with a
// timeout of a second: the database's. Failures are logged to logger.
func NewHealth(ping func(ctx context.Context) error, logger *slog.Logger) *Health {
	return &Health{ping: ping, log: logger}
}

// Drain makes /readyz answer 503 from now on, so that load balancers stop
// sending requests before the server shuts down.
func (h *Health) Drain() { h.draining.Store(true) }

// healthz answers 200 while the process serves.
func (h *Health) healthz(w http.ResponseWriter, _ *http.Request) {
	text(w, http.StatusOK, "ok")
}

// readyz answers 200 while the server takes requests and its database
// answers, and 503 once it drains or when the database does not answer.
func (h *Health) readyz(w http.ResponseWriter, r *http.Request) {
	if h.draining.Load() {
		text(w, http.StatusServiceUnavailable, "draining")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	if err := h.ping(ctx); err != nil {
		if r.Context().Err() == nil {
			h.log.WarnContext(r.Context(), "api: not ready", slog.Any("error", err))
		}
		text(w, http.StatusServiceUnavailable, "database unavailable")
		return
	}
	text(w, http.StatusOK, "ready")
}

func text(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(msg + "\n"))
}
