package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
)

// customerInput is the body of POST /customers and PUT /customers/{id}.
type customerInput struct {
	ID        *int64 `json:"id"` // optional; in PUT, the path's; in POST, 0
	StoreCode string `json:"storeCode"`
	Name      string `json:"name"`
	PreName   string `json:"preName"`
	Email     string `json:"email"`
}

// customer returns the customer in, or a 400 error that names the fields
// it lacks.
func (in customerInput) customer() (store.Customer, error) {
	c := store.Customer{
		StoreCode: strings.TrimSpace(in.StoreCode),
		Name:      strings.TrimSpace(in.Name),
		PreName:   strings.TrimSpace(in.PreName),
		Email:     strings.TrimSpace(in.Email),
	}
	if err := required("storeCode", c.StoreCode, "name", c.Name, "preName", c.PreName, "email", c.Email); err != nil {
		return store.Customer{}, err
	}
	if !strings.Contains(c.Email, "@") {
		return store.Customer{}, errorf(http.StatusBadRequest, "api: email %q is not an email address", clip(c.Email))
	}
	return c, nil
}

// required returns a 400 error that names the empty fields among the
// name, value pairs, or nil.
func required(pairs ...string) error {
	var missing []string
	for i := 0; i < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			missing = append(missing, pairs[i])
		}
	}
	if len(missing) > 0 {
		return errorf(http.StatusBadRequest, "api: missing %s", strings.Join(missing, ", "))
	}
	return nil
}

// GET /customers/{id}
func (a *api) getCustomer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := a.repo.Customer(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, c)
}

// GET /customers?name=&preName=
func (a *api) findCustomers(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	name, preName := q.Get("name"), q.Get("preName")
	if err := required("name", name, "preName", preName); err != nil {
		return err
	}
	cs, err := a.repo.CustomersByFullName(r.Context(), name, preName)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, cs)
}

// GET /stores/{storeCode}/customers
func (a *api) storeCustomers(w http.ResponseWriter, r *http.Request) error {
	cs, err := a.repo.CustomersOfStore(r.Context(), chi.URLParam(r, "storeCode"))
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, cs)
}

// GET /customers/{id}/orders
func (a *api) customerOrders(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	_, orders, err := a.repo.CustomerWithOrders(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, orders)
}

// POST /customers
func (a *api) createCustomer(w http.ResponseWriter, r *http.Request) error {
	var in customerInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	if in.ID != nil && *in.ID != 0 {
		return errorf(http.StatusBadRequest, "api: id is set by the server")
	}
	c, err := in.customer()
	if err != nil {
		return err
	}
	if c, err = a.repo.CreateCustomer(r.Context(), c); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/customers/%d", c.ID))
	return writeJSON(w, r, http.StatusCreated, c)
}

// PUT /customers/{id} answers with the customer as read again after the
// write, in the same request: a stale request cache would show here.
func (a *api) updateCustomer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in customerInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	if in.ID != nil && *in.ID != id {
		return errorf(http.StatusBadRequest, "api: id %d in the body is not the path's %d", *in.ID, id)
	}
	c, err := in.customer()
	if err != nil {
		return err
	}
	if _, err := a.repo.Customer(r.Context(), id); err != nil {
		return err
	}
	c.ID = id
	if err := a.repo.UpdateCustomer(r.Context(), c); err != nil {
		return err
	}
	if c, err = a.repo.Customer(r.Context(), id); err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, c)
}

// DELETE /customers/{id}
func (a *api) deleteCustomer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.repo.DeleteCustomer(r.Context(), id); err != nil {
		return err
	}
	return writeNoContent(w, r)
}

// DELETE /customers?preName=
func (a *api) deleteCustomersByPreName(w http.ResponseWriter, r *http.Request) error {
	preName := r.URL.Query().Get("preName")
	if err := required("preName", preName); err != nil {
		return err
	}
	n, err := a.repo.DeleteCustomersByPreName(r.Context(), preName)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, map[string]int64{"deleted": n})
}
