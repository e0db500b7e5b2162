package otel_test

import (
	"context"
	"fmt"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/reqcache/reqcache/contrib/otel"
	"github.com/reqcache/reqcache/reqcache"
)

// An Observer traces the loads of a request's cache and counts its hits
// and misses. In a server, set it in middleware.Options.Observer instead.
func Example() {
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	obs := otel.New(otel.Options{TracerProvider: tp, MeterProvider: mp})

	db := &repo{}
	getCustomer := reqcache.Cache1(Customers, db.GetCustomer, CustomerID, reqcache.Name("GetCustomer"))

	ctx, cache := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{Observer: obs})
	for _, id := range []int64{1, 2, 1, 1, missingID} {
		_, _ = getCustomer.Get(ctx, id)
	}
	cache.Close() // adds the cache's counts to the metrics

	for _, s := range spans.Ended() {
		fmt.Print(s.Name())
		for _, kv := range s.Attributes() {
			if kv.Key == otel.ArgsKey || kv.Key == otel.OutcomeKey {
				fmt.Printf(" %s=%s", kv.Key, kv.Value.Emit())
			}
		}
		fmt.Println()
	}
	var rm metricdata.ResourceMetrics
	_ = reader.Collect(ctx, &rm)
	for _, m := range rm.ScopeMetrics[0].Metrics {
		if sum, ok := m.Data.(metricdata.Sum[int64]); ok && len(sum.DataPoints) == 1 {
			fmt.Println(m.Name, sum.DataPoints[0].Value)
		}
	}
	// Output:
	// reqcache.load GetCustomer reqcache.args=1 reqcache.outcome=loaded
	// reqcache.load GetCustomer reqcache.args=2 reqcache.outcome=loaded
	// reqcache.load GetCustomer reqcache.args=404 reqcache.outcome=error
	// reqcache.hits 2
	// reqcache.misses 3
	// reqcache.loads 3
	// reqcache.errors 1
	// reqcache.invalidated 0
	// reqcache.evicted 0
	// reqcache.stale_served 0
	// reqcache.expired 0
}
