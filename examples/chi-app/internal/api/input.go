package api

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
)

// maxBody is the largest request body the API reads.
const maxBody = 1 << 20

// checkQuery answers a request whose query string does not parse, or holds
// more parameters than net/url takes, with 400: r.URL.Query() would drop
// it silently.
func (a *api) checkQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
			a.writeError(w, r, errorf(http.StatusBadRequest, "api: malformed query string: %s", clip(err.Error())))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// decode reads the request's body, a single JSON object, into v, within
// the body timeout. It answers a body over maxBody with 413, a body not
// sent in time with 408, and anything but one JSON value of v's fields
// with 400.
func (a *api) decode(w http.ResponseWriter, r *http.Request, v any) error {
	if a.bodyTimeout > 0 {
		// Ignored where the connection has no deadline (HTTP/2 through
		// some proxies, tests with recorders): ReadTimeout still holds.
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(a.bodyTimeout))
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return a.bodyError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return errorf(http.StatusBadRequest, "api: body holds more than one JSON value")
		}
		return a.bodyError(err)
	}
	return nil
}

func (a *api) bodyError(err error) error {
	var (
		tooBig  *http.MaxBytesError
		netErr  net.Error
		typeErr *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &tooBig):
		return errorf(http.StatusRequestEntityTooLarge, "api: body larger than %d bytes", tooBig.Limit)
	case errors.As(err, &netErr) && netErr.Timeout():
		return errorf(http.StatusRequestTimeout, "api: body not received within %s", a.bodyTimeout)
	case errors.Is(err, io.EOF):
		return errorf(http.StatusBadRequest, "api: empty body; want a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errorf(http.StatusBadRequest, "api: body ends before its JSON value does")
	case errors.As(err, &typeErr):
		return errorf(http.StatusBadRequest, "api: field %q holds a JSON %s; want %s", clip(typeErr.Field), typeErr.Value, typeErr.Type)
	default:
		// Syntax errors and unknown fields: the message quotes at most a
		// field's name, clipped with the whole message.
		return errorf(http.StatusBadRequest, "api: malformed JSON body: %s", err)
	}
}

// pathID returns the path parameter key as an ID, or a 400 error.
func pathID(r *http.Request, key string) (int64, error) {
	s := chi.URLParam(r, key)
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errorf(http.StatusBadRequest, "api: %s %q is not a number", key, clip(s))
	}
	return id, nil
}
