package otel

import (
	"context"
	"errors"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"

	"github.com/reqcache/reqcache/reqcache"
)

// durationBuckets are the bucket bounds, in seconds, of
// reqcache.load.duration: from 100 µs, a fast query, to 10 s.
var durationBuckets = []float64{
	0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
	0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
}

// entriesBuckets are the bucket bounds of reqcache.entries.
var entriesBuckets = []float64{0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000}

// instruments are the Observer's metric instruments.
type instruments struct {
	hits, misses, loads, errors metric.Int64Counter
	invalidated, evicted        metric.Int64Counter
	staleServed, expired        metric.Int64Counter
	entries                     metric.Int64Histogram
	duration                    metric.Float64Histogram
	invalidations               metric.Int64Counter
}

// init makes the instruments with m, and returns the errors of m. An
// instrument that m does not make is a no-op one.
func (in *instruments) init(m metric.Meter) error {
	var errs []error
	counter := func(dst *metric.Int64Counter, name, unit, desc string) {
		c, err := m.Int64Counter(name, metric.WithUnit(unit), metric.WithDescription(desc))
		if c == nil {
			c = noop.Int64Counter{}
		}
		*dst = c
		errs = append(errs, err)
	}
	counter(&in.hits, "reqcache.hits", "{call}", "Calls of cached methods answered by a stored entry.")
	counter(&in.misses, "reqcache.misses", "{call}", "Calls of cached methods that found no stored entry.")
	counter(&in.loads, "reqcache.loads", "{load}", "Calls of the functions that cached methods wrap.")
	counter(&in.errors, "reqcache.errors", "{load}", "Loads that returned an error or panicked.")
	counter(&in.invalidated, "reqcache.invalidated", "{entry}", "Entries removed by invalidations, with the entries that depended on them.")
	counter(&in.evicted, "reqcache.evicted", "{entry}", "Entries evicted to keep the cache within its bound.")
	counter(&in.staleServed, "reqcache.stale_served", "{call}", "Calls of GetStale answered with a stale value while it reloaded.")
	counter(&in.expired, "reqcache.expired", "{entry}", "Entries that outlived their MaxAge or MaxIdleTime.")
	counter(&in.invalidations, "reqcache.invalidations", "{invalidation}", "Invalidations of request caches, by kind.")

	var err error
	in.entries, err = m.Int64Histogram("reqcache.entries",
		metric.WithUnit("{entry}"),
		metric.WithDescription("Entries a request cache held when it was closed."),
		metric.WithExplicitBucketBoundaries(entriesBuckets...))
	if in.entries == nil {
		in.entries = noop.Int64Histogram{}
	}
	errs = append(errs, err)
	in.duration, err = m.Float64Histogram("reqcache.load.duration",
		metric.WithUnit("s"),
		metric.WithDescription("How long the loads of cached methods ran."),
		metric.WithExplicitBucketBoundaries(durationBuckets...))
	if in.duration == nil {
		in.duration = noop.Float64Histogram{}
	}
	errs = append(errs, err)
	return errors.Join(errs...)
}

// addStats adds the counts of one method of a closed cache, whose
// attributes are set.
func (in *instruments) addStats(ctx context.Context, s reqcache.Stats, set attribute.Set) {
	attrs := metric.WithAttributeSet(set)
	in.hits.Add(ctx, s.Hits, attrs)
	in.misses.Add(ctx, s.Misses, attrs)
	in.loads.Add(ctx, s.Loads, attrs)
	in.errors.Add(ctx, s.Errors, attrs)
	in.invalidated.Add(ctx, s.Invalidated, attrs)
	in.evicted.Add(ctx, s.Evicted, attrs)
	in.staleServed.Add(ctx, s.StaleServed, attrs)
	in.expired.Add(ctx, s.Expired, attrs)
	in.entries.Record(ctx, s.Entries, attrs)
}
