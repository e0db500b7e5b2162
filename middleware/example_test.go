package middleware_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/middleware"
	"github.com/reqcache/reqcache/reqcache"
)

// getCustomer reads the customer three times, as the layers of a real
// handler might: the database sees one query.
func getCustomer(repo *repo) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		var c customer
		for range 3 {
			c, _ = repo.byID.Get(r.Context(), id)
		}
		fmt.Fprintln(w, c.Name)
	}
}

func Example() {
	repo := newRepo()
	mux := http.NewServeMux()
	mux.Handle("GET /customers/{id}", getCustomer(repo))
	h := middleware.RequestCache(middleware.Options{ServerTiming: true})(mux)

	for range 2 { // every request has a cache of its own
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/customers/7", nil))
		fmt.Print(rec.Body.String())
		fmt.Println("Server-Timing:", withoutDur(rec.Header().Get("Server-Timing")))
	}
	fmt.Println("queries:", repo.db.loads.Load())
	// Output:
	// customer 7
	// Server-Timing: reqcache;dur=…;desc="hits=2 misses=1 loads=1"
	// customer 7
	// Server-Timing: reqcache;dur=…;desc="hits=2 misses=1 loads=1"
	// queries: 2
}

// durParam is the dur parameter of a Server-Timing entry.
var durParam = regexp.MustCompile(`dur=[0-9.]+`)

// withoutDur replaces the value of dur, the milliseconds spent in loads,
// with "…": it is not the same from run to run.
func withoutDur(entry string) string {
	return durParam.ReplaceAllString(entry, "dur=…")
}

// Only requests with a debug header get the Server-Timing entry; the
// others are served without the wrapper and the timing.
func ExampleOptions_serverTimingFor() {
	repo := newRepo()
	mux := http.NewServeMux()
	mux.Handle("GET /customers/{id}", getCustomer(repo))
	h := middleware.RequestCache(middleware.Options{
		ServerTiming:    true,
		ServerTimingFor: func(r *http.Request) bool { return r.Header.Get("X-Debug") == "1" },
	})(mux)

	for _, debug := range []string{"", "1"} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/customers/7", nil)
		req.Header.Set("X-Debug", debug)
		h.ServeHTTP(rec, req)
		fmt.Printf("X-Debug=%q: Server-Timing=%q\n", debug, withoutDur(rec.Header().Get("Server-Timing")))
	}
	// Output:
	// X-Debug="": Server-Timing=""
	// X-Debug="1": Server-Timing="reqcache;dur=…;desc=\"hits=2 misses=1 loads=1\""
}

func ExampleRequestCache_chi() {
	repo := newRepo()
	r := chi.NewRouter()
	r.Use(middleware.RequestCache(middleware.Options{ServerTiming: true}))
	r.Get("/customers/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
		a, _ := repo.byID.Get(r.Context(), id)
		b, _ := repo.byID.Get(r.Context(), id)
		fmt.Fprintln(w, a.Name, "/", b.Name)
	})

	srv := httptest.NewServer(r)
	defer srv.Close()
	res, err := http.Get(srv.URL + "/customers/42")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	fmt.Print(string(body))
	fmt.Println("Server-Timing:", withoutDur(res.Header.Get("Server-Timing")))
	// Output:
	// customer 42 / customer 42
	// Server-Timing: reqcache;dur=…;desc="hits=1 misses=1 loads=1"
}

func ExampleOptions_onEnd() {
	repo := newRepo()
	mux := http.NewServeMux()
	mux.Handle("GET /customers/{id}", getCustomer(repo))
	h := middleware.RequestCache(middleware.Options{
		OnEnd: func(r *http.Request, c *reqcache.Cache) {
			s := c.Stats() // c is closed; its stats stay readable
			fmt.Printf("%s: hits=%d misses=%d loads=%d\n", r.Pattern, s.Hits, s.Misses, s.Loads)
		},
	})(mux)

	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/customers/1", nil))
	// Output:
	// GET /customers/{id}: hits=2 misses=1 loads=1
}

func ExampleOptions_logger() {
	repo := newRepo()
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "cache" { // not the same from run to run
				return slog.Attr{}
			}
			return a
		},
	}))
	h := middleware.RequestCache(middleware.Options{Logger: logger})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = repo.byID.Get(r.Context(), 1)
			_, _ = repo.byID.Get(r.Context(), 2)
			// After a write of customer 1:
			invalidate.ID(r.Context(), customers, 1)
		}))

	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("PUT", "/customers/1", nil))
	// Output:
	// level=DEBUG msg="reqcache: invalidated" request="PUT /customers/1" target=Customer:1 removed=1 entries=[GetCustomer(1)]
}
