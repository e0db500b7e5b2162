// Package otel traces and measures request caches with OpenTelemetry.
//
// New returns an Observer, which implements reqcache.Observer: set it in
// reqcache.Options.Observer, or in middleware.Options.Observer to observe
// the cache of every HTTP request.
//
// Traces: every load of a cached method (a call of the function it wraps,
// never a hit) is a span named "reqcache.load " and the method's name,
// a child of the span of the call that ran the load. Its attributes are the
// region and method, the arguments formatted and cut to Options.MaxArgs
// bytes, the number of keys of a batch load, whether the result was
// stored, and the outcome: "loaded", "error", "panic", or "cancelled" (the
// function returned a context's error, or exited). A batch load links to
// the spans of the other calls it served.
//
// Metrics, with the region and the method as attributes (never argument
// values, so that the number of series stays bounded):
//
//	reqcache.hits            counter     calls answered by a stored entry
//	reqcache.misses          counter     calls that found no stored entry
//	reqcache.loads           counter     calls of the wrapped functions
//	reqcache.errors          counter     loads that returned an error or panicked
//	reqcache.invalidated     counter     entries removed by invalidations
//	reqcache.evicted         counter     entries evicted to keep the cache within its bound
//	reqcache.entries         histogram   entries a cache held when it was closed
//	reqcache.load.duration   histogram   seconds a load ran, also by outcome
//	reqcache.invalidations   counter     invalidations, by kind only
//
// The counters of a cache are added when it is closed, from
// reqcache.Cache.MethodStats, so that hits cost nothing more with an
// Observer than without; load durations and invalidations are recorded as
// they happen.
package otel
