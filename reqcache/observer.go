package reqcache

import (
	"context"
	"time"
)

// An Observer watches what a Cache does, for tracing and metrics: the
// loads of its cached methods, its invalidations, and its end. Set one in
// Options.Observer; package contrib/otel has one for OpenTelemetry.
//
// Hits are not reported one by one, so that an Observer costs nothing on
// the hit path: read them per method from Cache.MethodStats when Closed is
// called. An Observer's methods are called on the goroutine that does the
// work, with no lock of the cache held, and must be safe for concurrent
// use.
type Observer interface {
	// StartLoad is called before a cached method's function runs, with
	// the context of the call that runs it. The function runs with the
	// context StartLoad returns (a span's, say), and end is called once
	// when it has returned, panicked or exited.
	StartLoad(ctx context.Context, l Load) (_ context.Context, end func(LoadResult))

	// Invalidated is called after every invalidation of the cache, also
	// one that removed nothing.
	Invalidated(ctx context.Context, inv Invalidation)

	// Closed is called once, by Close, before the cache drops its entries:
	// c.MethodStats reports the counts at the end, with the entries held
	// then. Calls of cached methods already go to the wrapped functions.
	Closed(c *Cache)
}

// A Load describes one call of a cached method's function, for
// Observer.StartLoad.
type Load struct {
	// Cache is the cache the load stores into.
	Cache *Cache
	// Region and Method name the cached method.
	Region, Method string
	// Keys is the number of keys a batch function was called with; 1 for
	// other methods.
	Keys int
	// Callers holds the contexts of the calls that a batch load serves
	// besides the one it runs with, such as single-key calls of several
	// goroutines coalesced into one batch call; nil for other loads.
	Callers []context.Context

	args func() string
}

// Args formats the load's arguments, as in `42, "Smith"`, at most max bytes
// long (longer ones end in "…"). It formats them at every call.
func (l Load) Args(max int) string {
	if l.args == nil {
		return ""
	}
	return truncate(l.args(), max)
}

// A LoadResult is how a load ended, for the end function of
// Observer.StartLoad.
type LoadResult struct {
	// Err is the error the function returned, or the *PanicError of its
	// panic.
	Err error
	// Panicked reports that the function panicked; Exited, that it called
	// runtime.Goexit.
	Panicked, Exited bool
	// Stored reports whether the result was stored in the cache.
	Stored bool
	// Duration is how long the function ran.
	Duration time.Duration
}

// MethodStats are the counts of one cached method in one Cache.
type MethodStats struct {
	Region, Method string
	Stats
}

// truncate returns s cut to at most max bytes, ending in "…" if cut. A
// negative max means no limit.
func truncate(s string, max int) string {
	if max < 0 || len(s) <= max {
		return s
	}
	const ellipsis = "…"
	if max < len(ellipsis) {
		return s[:max]
	}
	cut := max - len(ellipsis)
	for cut > 0 && s[cut]&0xC0 == 0x80 { // not inside a UTF-8 sequence
		cut--
	}
	return s[:cut] + ellipsis
}
