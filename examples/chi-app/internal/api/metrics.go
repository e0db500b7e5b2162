package api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel/attribute"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	reqcacheotel "github.com/reqcache/reqcache/contrib/otel"
	"github.com/reqcache/reqcache/reqcache"
)

// Metrics see every request's Record, and serve /metrics. OTelMetrics are
// the app's; an exporter of another metrics system fits here as well.
type Metrics interface {
	http.Handler
	// Observe is called with the Record of every request when it ends.
	// It must not keep rec.
	Observe(rec *Record)
	// CacheObserver returns the Observer of every request's cache, or
	// nil.
	CacheObserver() reqcache.Observer
}

// classes are the values of the code attribute of the request metrics:
// the status class, or gone if the client went away first.
var classes = [6]string{"gone", "1xx", "2xx", "3xx", "4xx", "5xx"}

// durationBuckets are the bucket bounds, in seconds, of
// chiapp.request.duration: from 250 µs, a request answered from the
// cache, to 10 s.
var durationBuckets = []float64{0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// OTelMetrics are Metrics on an OpenTelemetry MeterProvider, served in
// Prometheus's text format by the OpenTelemetry Prometheus exporter. The
// provider holds the request caches' metrics, measured by the Observer of
// package contrib/otel (reqcache_hits_total, reqcache_misses_total,
// reqcache_loads_total, reqcache_load_duration_seconds and the others, by
// region and method), and the app's own:
//
//	chiapp_requests_total             requests, by status class (code="2xx"; "gone": the client went away)
//	chiapp_request_duration_seconds   histogram of the time spent serving requests, by status class
//	chiapp_db_queries_total           SQL statements run for requests
//
// The Go runtime's and the process's metrics are served beside them.
type OTelMetrics struct {
	handler  http.Handler
	observer *reqcacheotel.Observer

	requests metric.Int64Counter
	duration metric.Float64Histogram
	queries  metric.Int64Counter
	byClass  [len(classes)]metric.MeasurementOption // the code attribute
}

// NewOTelMetrics returns OTelMetrics on a MeterProvider of their own.
func NewOTelMetrics() (*OTelMetrics, error) {
	registry := prometheus.NewRegistry()
	registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	exporter, err := otelprom.New(otelprom.WithRegisterer(registry), otelprom.WithoutScopeInfo(), otelprom.WithoutTargetInfo())
	if err != nil {
		return nil, fmt.Errorf("api: metrics: %w", err)
	}
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter))
	m := &OTelMetrics{
		handler: promhttp.HandlerFor(registry, promhttp.HandlerOpts{}),
		observer: reqcacheotel.New(reqcacheotel.Options{
			MeterProvider:  provider,
			TracerProvider: tracenoop.NewTracerProvider(),
		}),
	}
	if err := m.init(provider.Meter("github.com/reqcache/reqcache/examples/chi-app")); err != nil {
		return nil, fmt.Errorf("api: metrics: %w", err)
	}
	return m, nil
}

// init makes the app's instruments with meter.
func (m *OTelMetrics) init(meter metric.Meter) error {
	var err error
	if m.requests, err = meter.Int64Counter("chiapp.requests", metric.WithUnit("{request}"),
		metric.WithDescription("Requests, by status class; gone: the client went away first.")); err != nil {
		return err
	}
	if m.duration, err = meter.Float64Histogram("chiapp.request.duration", metric.WithUnit("s"),
		metric.WithDescription("Time spent serving requests, by status class."),
		metric.WithExplicitBucketBoundaries(durationBuckets...)); err != nil {
		return err
	}
	if m.queries, err = meter.Int64Counter("chiapp.db.queries", metric.WithUnit("{query}"),
		metric.WithDescription("SQL statements run for requests.")); err != nil {
		return err
	}
	for i, class := range classes {
		m.byClass[i] = metric.WithAttributeSet(attribute.NewSet(attribute.String("code", class)))
	}
	return nil
}

// Observe counts rec.
func (m *OTelMetrics) Observe(rec *Record) {
	class := rec.Status / 100
	if rec.Status == StatusClientGone || class < 1 || class > 5 {
		class = 0
	}
	ctx := context.Background()
	m.requests.Add(ctx, 1, m.byClass[class])
	m.duration.Record(ctx, rec.Duration.Seconds(), m.byClass[class])
	m.queries.Add(ctx, rec.Queries)
}

// CacheObserver returns the Observer of package contrib/otel that
// measures every request's cache onto the metrics' provider.
func (m *OTelMetrics) CacheObserver() reqcache.Observer {
	return m.observer
}

// ServeHTTP serves the metrics in Prometheus's text format.
func (m *OTelMetrics) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	m.handler.ServeHTTP(w, r)
}
