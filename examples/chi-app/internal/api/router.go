// Package api is the storefront's HTTP API: JSON over chi, on the cached
// repository.
package api

import (
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"
	"github.com/reqcache/reqcache/examples/chi-app/internal/cached"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
)

type api struct {
	repo *cached.Repo
	log  *slog.Logger
}

// NewRouter returns the API's router over repo. Every request runs, in
// order: a recoverer, a counter of its SQL statements (reported in the
// X-DB-Queries header of every response), the middlewares mws (the request
// cache's, when it is on), and the route. Errors are logged to logger.
func NewRouter(repo *cached.Repo, logger *slog.Logger, mws ...func(http.Handler) http.Handler) http.Handler {
	a := &api{repo: repo, log: logger}
	r := chi.NewRouter()
	r.Use(chimw.Recoverer, countQueries)
	r.Use(mws...)
	r.NotFound(a.handle(func(http.ResponseWriter, *http.Request) error {
		return errorf(http.StatusNotFound, "api: no such resource")
	}))
	r.MethodNotAllowed(a.handle(methodNotAllowed(r)))

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
	return r
}

// countQueries puts a store.QueryCounter in the request's context.
func countQueries(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, _ := store.WithQueryCounter(r.Context())
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// methodNotAllowed answers 405 with the Allow header that lists the methods
// the path has.
func methodNotAllowed(mux *chi.Mux) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
			if mux.Match(chi.NewRouteContext(), m, r.URL.Path) {
				w.Header().Add("Allow", m)
			}
		}
		return errorf(http.StatusMethodNotAllowed, "api: method %s not allowed on %s", r.Method, r.URL.Path)
	}
}
