// Package api is the storefront's HTTP API: JSON over chi, on the cached
// repository, with the routes and middlewares a service needs around it:
// health and readiness, an access log, metrics and profiling.
package api

import (
	"log/slog"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"
	"github.com/reqcache/reqcache/examples/chi-app/internal/cached"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
	"github.com/reqcache/reqcache/reqcache"
)

// Options configure NewRouter. The zero value serves the API without a
// request cache, health routes, access log, metrics or profiling.
type Options struct {
	// Logger logs errors, the access log, and at debug level clients that
	// went away and the request cache's invalidations. Nil means
	// slog.Default().
	Logger *slog.Logger
	// Cache serves every API request with a request cache, reported in a
	// Server-Timing header.
	Cache bool
	// ServerTimingFor, if not nil, picks the requests with a cache that
	// get the Server-Timing entry (see ServerTimingFor). Nil means every
	// one.
	ServerTimingFor func(*http.Request) bool
	// AccessLog logs one line per request at info level.
	AccessLog bool
	// Health, if not nil, serves /healthz and /readyz.
	Health *Health
	// Metrics, if not nil, sees every request and its request cache, and
	// serves /metrics.
	Metrics Metrics
	// Pprof serves net/http/pprof under /debug/pprof/.
	Pprof bool
	// BodyTimeout bounds the time to read a request's body, from the
	// moment the handler starts reading it. Zero means no bound but the
	// server's ReadTimeout.
	BodyTimeout time.Duration
}

type api struct {
	repo        *cached.Repo
	log         *slog.Logger
	bodyTimeout time.Duration
}

// NewRouter returns the API's router over repo. Every request runs, in
// order: chi's request ID, the access log and metrics, a recoverer, a
// check of the query string, and the route, which answers HEAD as GET. The
// API's routes also run a counter of their SQL statements (reported in
// the X-DB-Queries header of every response) and, with opts.Cache, the
// request cache.
func NewRouter(repo *cached.Repo, opts Options) http.Handler {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	a := &api{repo: repo, log: opts.Logger, bodyTimeout: opts.BodyTimeout}
	r := chi.NewRouter()
	r.Use(chimw.RequestID)
	if opts.AccessLog || opts.Metrics != nil {
		r.Use(record(opts))
	}
	r.Use(chimw.Recoverer, a.checkQuery, chimw.GetHead)
	r.NotFound(a.handle(func(http.ResponseWriter, *http.Request) error {
		return errorf(http.StatusNotFound, "api: no such resource")
	}))
	r.MethodNotAllowed(a.handle(methodNotAllowed(r)))

	if h := opts.Health; h != nil {
		r.Get("/healthz", h.healthz)
		r.Get("/readyz", h.readyz)
	}
	if opts.Metrics != nil {
		r.Method(http.MethodGet, "/metrics", opts.Metrics)
	}
	if opts.Pprof {
		r.HandleFunc("/debug/pprof/*", pprof.Index)
		r.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		r.HandleFunc("/debug/pprof/profile", pprof.Profile)
		r.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		r.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}

	r.Group(func(r chi.Router) {
		r.Use(countQueries)
		if opts.Cache {
			var obs reqcache.Observer
			if opts.Metrics != nil {
				obs = opts.Metrics.CacheObserver()
			}
			r.Use(requestCache(opts.Logger, obs, opts.ServerTimingFor))
		}
		r.Get("/customers", a.handle(a.findCustomers))
		r.Post("/customers", a.handle(a.createCustomer))
		r.Delete("/customers", a.handle(a.deleteCustomersByPreName))
		r.Get("/customers/{id}", a.handle(a.getCustomer))
		r.Put("/customers/{id}", a.handle(a.updateCustomer))
		r.Delete("/customers/{id}", a.handle(a.deleteCustomer))
		r.Get("/customers/{id}/orders", a.handle(a.customerOrders))
		r.Get("/stores/{storeCode}/customers", a.handle(a.storeCustomers))

		r.Post("/orders", a.handle(a.createOrder))
		r.Get("/orders/{id}", a.handle(a.getOrder))
		r.Get("/dashboard", a.handle(a.dashboard))
	})
	return r
}

// countQueries puts a store.QueryCounter in the request's context.
func countQueries(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, n := store.WithQueryCounter(r.Context())
		if rec := recordFrom(ctx); rec != nil {
			rec.queries = n
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// methodNotAllowed answers 405 with the Allow header that lists the methods
// the path has.
func methodNotAllowed(mux *chi.Mux) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete} {
			get := m
			if m == http.MethodHead {
				get = http.MethodGet
			}
			if mux.Match(chi.NewRouteContext(), get, r.URL.Path) {
				w.Header().Add("Allow", m)
			}
		}
		return errorf(http.StatusMethodNotAllowed, "api: method %q not allowed on %q", clip(r.Method), clip(r.URL.Path))
	}
}
