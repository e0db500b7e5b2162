package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
)

// maxBody is the largest request body the API reads.
const maxBody = 1 << 20

// An httpError is an error that a response answers with its status.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

// errorf returns an *httpError.
func errorf(status int, format string, args ...any) error {
	return &httpError{status: status, msg: fmt.Sprintf(format, args...)}
}

// handlerFunc is a handler that returns its error, for handle to answer.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle returns the http.HandlerFunc that runs h, and answers its error.
func (a *api) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			a.writeError(w, r, err)
		}
	}
}

// writeJSON answers with status and v as the JSON body.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) error {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	setQueries(h, r)
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// writeNoContent answers with 204 No Content.
func writeNoContent(w http.ResponseWriter, r *http.Request) error {
	setQueries(w.Header(), r)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// setQueries sets the X-DB-Queries header to the number of SQL statements
// the request ran.
func setQueries(h http.Header, r *http.Request) {
	h.Set("X-DB-Queries", strconv.FormatInt(store.QueryCounterFrom(r.Context()).N(), 10))
}

// writeError answers err as {"error": "..."}: an *httpError with its status,
// store.ErrNotFound with 404, and anything else with 500 and a message that
// does not leak the error, which is logged.
func (a *api) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := http.StatusInternalServerError, "api: internal error"
	var he *httpError
	switch {
	case errors.As(err, &he):
		status, msg = he.status, he.msg
	case errors.Is(err, store.ErrNotFound):
		status, msg = http.StatusNotFound, err.Error()
	default:
		a.log.ErrorContext(r.Context(), "api: request failed",
			slog.String("request", r.Method+" "+r.URL.Path), slog.Any("error", err))
	}
	_ = writeJSON(w, r, status, map[string]string{"error": msg})
}

// decode reads the request's body, a single JSON object, into v. It answers
// a body over maxBody with 413, and anything but one JSON value of v's
// fields with 400.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bodyError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return errorf(http.StatusBadRequest, "api: body holds more than one JSON value")
		}
		return bodyError(err)
	}
	return nil
}

func bodyError(err error) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return errorf(http.StatusRequestEntityTooLarge, "api: body larger than %d bytes", tooBig.Limit)
	case errors.Is(err, io.EOF):
		return errorf(http.StatusBadRequest, "api: empty body; want a JSON object")
	default:
		return errorf(http.StatusBadRequest, "api: malformed JSON body: %v", err)
	}
}

// pathID returns the path parameter key as an ID, or a 400 error.
func pathID(r *http.Request, key string) (int64, error) {
	s := chi.URLParam(r, key)
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errorf(http.StatusBadRequest, "api: %s %q is not a number", key, s)
	}
	return id, nil
}
