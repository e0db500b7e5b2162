package middleware_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reqcache/reqcache/middleware"
)

const hits2misses1 = `reqcache;dur=…;desc="hits=2 misses=1 loads=1"`

var withTiming = middleware.RequestCache(middleware.Options{ServerTiming: true})

// onlyReader hides every method of a reader but Read, so that io.Copy
// takes the ReadFrom path of its destination.
type onlyReader struct{ io.Reader }

// readFromRecorder is a ResponseRecorder with a ReadFrom method that
// counts its calls, as net/http's ResponseWriter has one.
type readFromRecorder struct {
	*httptest.ResponseRecorder
	calls int
}

func (r *readFromRecorder) ReadFrom(src io.Reader) (int64, error) {
	r.calls++
	return io.Copy(r.ResponseRecorder, src)
}

func TestServerTiming_Header(t *testing.T) {
	write := func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") }
	tests := []struct {
		name     string
		handler  func(repo *repo) http.HandlerFunc
		wantCode int
		want     []string
	}{
		{"WriteHeader and Write", func(repo *repo) http.HandlerFunc {
			return reads(repo, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusCreated)
				write(w, r)
			}, 1, 1, 1)
		}, http.StatusCreated, []string{hits2misses1}},
		{"Write only", func(repo *repo) http.HandlerFunc {
			return reads(repo, write, 1, 1, 1)
		}, http.StatusOK, []string{hits2misses1}},
		{"WriteHeader only", func(repo *repo) http.HandlerFunc {
			return reads(repo, func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(http.StatusNoContent)
			}, 1, 1, 1)
		}, http.StatusNoContent, []string{hits2misses1}},
		{"empty response", func(repo *repo) http.HandlerFunc {
			return reads(repo, nil, 1, 1, 1)
		}, http.StatusOK, []string{hits2misses1}},
		{"reads after the header", func(repo *repo) http.HandlerFunc {
			return reads(repo, func(w http.ResponseWriter, r *http.Request) {
				write(w, r)
				reads(repo, write, 1, 1, 2)(w, r)
			}, 1)
		}, http.StatusOK, []string{`reqcache;dur=…;desc="hits=0 misses=1 loads=1"`}},
		{"Flush", func(repo *repo) http.HandlerFunc {
			return reads(repo, func(w http.ResponseWriter, _ *http.Request) {
				if err := http.NewResponseController(w).Flush(); err != nil {
					panic(err)
				}
			}, 1, 1, 1)
		}, http.StatusOK, []string{hits2misses1}},
		{"ReadFrom", func(repo *repo) http.HandlerFunc {
			return reads(repo, func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.Copy(w, onlyReader{strings.NewReader("ok")})
			}, 1, 1, 1)
		}, http.StatusOK, []string{hits2misses1}},
		{"WriteHeader twice", func(repo *repo) http.HandlerFunc {
			return reads(repo, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusOK)
				reads(repo, nil, 1)(w, r)
				w.WriteHeader(http.StatusOK)
				write(w, r)
			}, 1, 1, 1)
		}, http.StatusOK, []string{hits2misses1}},
		{"other entries kept", func(repo *repo) http.HandlerFunc {
			return reads(repo, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Add("Server-Timing", "db;dur=53")
				write(w, r)
			}, 1, 1, 1)
		}, http.StatusOK, []string{"db;dur=53", hits2misses1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(withTiming(tt.handler(newRepo())), "GET", "/")
			res := rec.Result()
			if res.StatusCode != tt.wantCode {
				t.Errorf("status = %d; want %d", res.StatusCode, tt.wantCode)
			}
			if got := timings(t, res.Header); !slices.Equal(got, tt.want) {
				t.Errorf("Server-Timing = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestServerTiming_Off(t *testing.T) {
	rec := httptest.NewRecorder()
	var got http.ResponseWriter
	h := middleware.RequestCache(middleware.Options{})(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		got = w
	}))
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if got != rec {
		t.Errorf("handler's ResponseWriter = %T; want the server's %T, unwrapped", got, rec)
	}
	if v := rec.Header().Values("Server-Timing"); v != nil {
		t.Errorf("Server-Timing = %q; want none", v)
	}
}

func TestServerTiming_ReadFrom(t *testing.T) {
	rec := &readFromRecorder{ResponseRecorder: httptest.NewRecorder()}
	h := withTiming(reads(newRepo(), func(w http.ResponseWriter, _ *http.Request) {
		rf, ok := w.(io.ReaderFrom)
		if !ok {
			panic("ResponseWriter is not an io.ReaderFrom")
		}
		_, _ = rf.ReadFrom(strings.NewReader("streamed"))
	}, 1, 1, 1))
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.calls != 1 {
		t.Errorf("ReadFrom calls of the server's ResponseWriter = %d; want 1", rec.calls)
	}
	if got := rec.Body.String(); got != "streamed" {
		t.Errorf("body = %q; want %q", got, "streamed")
	}
	if got := timing(t, rec.Result().Header); got != hits2misses1 {
		t.Errorf("Server-Timing = %q; want %q", got, hits2misses1)
	}
}

// get sends a GET to url, and fails the test if that takes a minute.
func get(t *testing.T, url string, trace *httptrace.ClientTrace) *http.Response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	if trace != nil {
		ctx = httptrace.WithClientTrace(ctx, trace)
	}
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

func TestServerTiming_FlushStreams(t *testing.T) {
	release := make(chan struct{})
	repo := newRepo()
	srv := httptest.NewServer(withTiming(reads(repo, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "first ")
		if err := http.NewResponseController(w).Flush(); err != nil {
			panic(err)
		}
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		_, _ = io.WriteString(w, "second")
	}, 1, 1, 1)))
	defer srv.Close()

	// The client has the header while the handler waits: the flush reached
	// the connection, and the entry was in the header.
	res := get(t, srv.URL, nil)
	if got := timing(t, res.Header); got != hits2misses1 {
		t.Errorf("Server-Timing = %q; want %q", got, hits2misses1)
	}
	first := make([]byte, len("first "))
	if _, err := io.ReadFull(res.Body, first); err != nil || string(first) != "first " {
		t.Fatalf("first flushed bytes = %q, %v; want %q", first, err, "first ")
	}
	close(release)
	rest, err := io.ReadAll(res.Body)
	if err != nil || string(rest) != "second" {
		t.Errorf("rest of the body = %q, %v; want %q", rest, err, "second")
	}
}

func TestServerTiming_Hijack(t *testing.T) {
	srv := httptest.NewServer(withTiming(reads(newRepo(), func(w http.ResponseWriter, _ *http.Request) {
		if _, ok := w.(http.Hijacker); !ok {
			panic("ResponseWriter is not an http.Hijacker")
		}
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err)
		}
		defer conn.Close()
		_, _ = rw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhijacked")
		_ = rw.Flush()
	}, 1)))
	defer srv.Close()

	res := get(t, srv.URL, nil)
	body, err := io.ReadAll(res.Body)
	if err != nil || string(body) != "hijacked" {
		t.Errorf("body = %q, %v; want %q", body, err, "hijacked")
	}
	if v := res.Header.Values("Server-Timing"); v != nil {
		t.Errorf("Server-Timing of a hijacked connection = %q; want none", v)
	}
}

func TestServerTiming_Unwrap(t *testing.T) {
	errc := make(chan error, 2)
	srv := httptest.NewServer(withTiming(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		rc := http.NewResponseController(w)
		errc <- rc.SetWriteDeadline(time.Now().Add(time.Minute))
		errc <- rc.SetReadDeadline(time.Now().Add(time.Minute))
	})))
	defer srv.Close()

	get(t, srv.URL, nil)
	for _, name := range []string{"SetWriteDeadline", "SetReadDeadline"} {
		if err := <-errc; err != nil {
			t.Errorf("ResponseController.%s through the wrapper = %v; want nil", name, err)
		}
	}
}

func TestServerTiming_Informational(t *testing.T) {
	repo := newRepo()
	srv := httptest.NewServer(withTiming(reads(repo, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</style.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		reads(repo, nil, 1)(w, r) // counted: the final header is not written yet
		w.WriteHeader(http.StatusOK)
	}, 1, 1)))
	defer srv.Close()

	var early textproto.MIMEHeader
	res := get(t, srv.URL, &httptrace.ClientTrace{
		Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
			if code == http.StatusEarlyHints {
				early = h
			}
			return nil
		},
	})
	if early == nil {
		t.Fatalf("no 103 Early Hints received")
	}
	if v := early.Values("Server-Timing"); v != nil {
		t.Errorf("Server-Timing of 103 = %q; want none", v)
	}
	if got := timings(t, res.Header); !slices.Equal(got, []string{hits2misses1}) {
		t.Errorf("Server-Timing of 200 = %q; want %q", got, hits2misses1)
	}
}

// Hijack's error for a ResponseWriter that cannot hijack says so.
func TestServerTiming_HijackNotSupported(t *testing.T) {
	var err error
	h := withTiming(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _, err = w.(http.Hijacker).Hijack()
	}))
	rec := serve(h, "GET", "/")
	if !errors.Is(err, http.ErrNotSupported) {
		t.Errorf("Hijack() of a ResponseRecorder: error %v; want one wrapping http.ErrNotSupported", err)
	}
	if got := rec.Result().Header.Get("Server-Timing"); got != `reqcache;dur=0;desc="hits=0 misses=0 loads=0"` {
		t.Errorf("Server-Timing after a failed Hijack = %q; want the entry", got)
	}
}
