package api

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
)

// statuses are the statuses an order may have.
var statuses = []string{"pending", "paid", "shipped", "delivered", "cancelled"}

const (
	defaultDashboardLimit = 50
	maxDashboardLimit     = 500
)

// orderInput is the body of POST /orders.
type orderInput struct {
	CustomerID *int64 `json:"customerId"`
	Status     string `json:"status"`
	Total      *int64 `json:"total"` // in cents
}

// order returns the order in, or a 400 error.
func (in orderInput) order() (store.Order, error) {
	var missing []string
	if in.CustomerID == nil {
		missing = append(missing, "customerId")
	}
	if in.Status == "" {
		missing = append(missing, "status")
	}
	if in.Total == nil {
		missing = append(missing, "total")
	}
	if len(missing) > 0 {
		return store.Order{}, errorf(http.StatusBadRequest, "api: missing %s", strings.Join(missing, ", "))
	}
	if !slices.Contains(statuses, in.Status) {
		return store.Order{}, errorf(http.StatusBadRequest, "api: status %q is not one of %s", clip(in.Status), strings.Join(statuses, ", "))
	}
	if *in.Total < 0 {
		return store.Order{}, errorf(http.StatusBadRequest, "api: total %d is negative", *in.Total)
	}
	return store.Order{CustomerID: *in.CustomerID, Status: in.Status, Total: *in.Total}, nil
}

// GET /orders/{id}
func (a *api) getOrder(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := a.repo.Order(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, o)
}

// POST /orders answers an order for a customer that does not exist with
// 422 Unprocessable Entity: the body is well formed, and /orders exists.
func (a *api) createOrder(w http.ResponseWriter, r *http.Request) error {
	var in orderInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	o, err := in.order()
	if err != nil {
		return err
	}
	o, err = a.repo.CreateOrder(r.Context(), o)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusUnprocessableEntity, "api: customerId %d names no customer", *in.CustomerID)
	}
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/orders/%d", o.ID))
	return writeJSON(w, r, http.StatusCreated, o)
}

// GET /dashboard?limit=
func (a *api) dashboard(w http.ResponseWriter, r *http.Request) error {
	limit := defaultDashboardLimit
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxDashboardLimit {
			return errorf(http.StatusBadRequest, "api: limit %q is not a number from 1 to %d", clip(s), maxDashboardLimit)
		}
		limit = n
	}
	orders, err := a.repo.RecentOrders(r.Context(), limit)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, map[string][]store.Order{"orders": orders})
}
