package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
)

// StatusClientGone is the status the access log and the metrics give a
// request whose client went away before it was answered (nginx's 499).
// The client gets nothing.
const StatusClientGone = 499

// An httpError is an error that a response answers with its status.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

// errorf returns an *httpError. Arguments that come from the request must
// be clipped.
func errorf(status int, format string, args ...any) error {
	return &httpError{status: status, msg: fmt.Sprintf(format, args...)}
}

// maxQuoted is the number of bytes of the request's input that an error
// message quotes.
const maxQuoted = 40

// clip returns s, or its first maxQuoted bytes (cut at a rune) and "...".
func clip(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	n := maxQuoted
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

// A writeFailed is the error of a response whose header was sent: nothing
// more can be answered.
type writeFailed struct{ err error }

func (e *writeFailed) Error() string { return "api: writing the response: " + e.err.Error() }
func (e *writeFailed) Unwrap() error { return e.err }

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
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	setQueries(h, r)
	w.WriteHeader(status)
	if _, err := w.Write(b); err != nil {
		return &writeFailed{err}
	}
	return nil
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

// maxMessage bounds the length of an error message in a response.
const maxMessage = 200

// writeError answers err as {"error": "..."}: an *httpError with its status,
// store.ErrNotFound with 404, and anything else with 500 and a message that
// does not leak the error, which is logged. A request whose client went
// away, or whose response failed after its header, is logged at debug
// level, and answered with nothing but StatusClientGone, for the access
// log.
func (a *api) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var (
		wf *writeFailed
		he *httpError
	)
	// A read error of the body, such as its timeout, ends the request's
	// context too: an *httpError is answered all the same.
	if errors.As(err, &wf) || (r.Context().Err() != nil && !errors.As(err, &he)) {
		a.log.DebugContext(r.Context(), "api: client went away",
			slog.String("request", r.Method+" "+clip(r.URL.Path)), slog.Any("error", err))
		if wf == nil {
			w.WriteHeader(StatusClientGone)
		}
		return
	}
	status, msg := http.StatusInternalServerError, "api: internal error"
	switch {
	case errors.As(err, &he):
		status, msg = he.status, he.msg
	case errors.Is(err, store.ErrNotFound):
		status, msg = http.StatusNotFound, err.Error()
	default:
		a.log.ErrorContext(r.Context(), "api: request failed",
			slog.String("request", r.Method+" "+clip(r.URL.Path)), slog.Any("error", err))
	}
	if len(msg) > maxMessage {
		msg = clip(msg[:maxMessage])
	}
	if err := writeJSON(w, r, status, map[string]string{"error": msg}); err != nil {
		a.log.DebugContext(r.Context(), "api: client went away", slog.Any("error", err))
	}
}
