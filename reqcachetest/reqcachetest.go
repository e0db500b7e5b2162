// Package reqcachetest makes reqcache's safety nets a test's assertions:
// a test whose code under test reads stale data from a request cache, or
// changes a value the cache holds, fails with a report that names the
// method and the call.
//
// Run existing integration tests with it, and every forgotten
// invalidation becomes a failing test:
//
//	ctx, cache := reqcachetest.Scope(t, context.Background())
//	// ... the code under test, with ctx ...
//
// Scope closes the cache when the test ends. For HTTP tests, Middleware
// gives every request of a handler such a cache.
package reqcachetest

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/reqcache/reqcache/middleware"
	"github.com/reqcache/reqcache/reqcache"
)

// Options returns the options of a cache in verify mode that fails t on
// every stale read and every cached value changed by a caller: every hit is
// read again from the wrapped function.
func Options(t testing.TB) reqcache.Options {
	return reqcache.Options{Verify: 1, Explain: true, OnStaleRead: failer(t)}
}

// failer returns an OnStaleRead hook that fails t with the report.
func failer(t testing.TB) func(reqcache.StaleRead) {
	var mu sync.Mutex // reports may come from the goroutines of a request
	return func(s reqcache.StaleRead) {
		mu.Lock()
		defer mu.Unlock()
		t.Errorf("%v\n\tcached: %+v\n\tfresh:  %+v", s, s.Cached, s.Fresh)
	}
}

// Scope is reqcache.ScopeWithOptions with Options(t): it returns a copy of
// ctx that carries a new cache in verify mode, and the cache, which it
// closes when the test ends (looking, at Close, for values changed by a
// caller).
func Scope(t testing.TB, ctx context.Context) (context.Context, *reqcache.Cache) {
	t.Helper()
	ctx, c := reqcache.ScopeWithOptions(ctx, Options(t))
	t.Cleanup(c.Close)
	return ctx, c
}

// Middleware returns middleware.RequestCache with every request's cache in
// verify mode, failing t as Scope does.
func Middleware(t testing.TB) func(http.Handler) http.Handler {
	return middleware.RequestCache(middleware.Options{Verify: 1, OnStaleRead: failer(t)})
}
