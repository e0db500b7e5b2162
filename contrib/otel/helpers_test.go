package otel_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/reqcache/reqcache/contrib/otel"
)

// harness is an Observer that exports to memory.
type harness struct {
	spans  *tracetest.SpanRecorder
	reader *sdkmetric.ManualReader
	tp     *sdktrace.TracerProvider
	mp     *sdkmetric.MeterProvider
	obs    *otel.Observer
}

func newHarness(t *testing.T, opts otel.Options) *harness {
	t.Helper()
	h := &harness{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	h.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(h.spans))
	h.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(h.reader))
	t.Cleanup(func() {
		_ = h.tp.Shutdown(context.Background())
		_ = h.mp.Shutdown(context.Background())
	})
	opts.TracerProvider, opts.MeterProvider = h.tp, h.mp
	h.obs = otel.New(opts)
	return h
}

// points returns the values of every metric point, keyed by the metric's
// name and the point's attributes, as in
// "reqcache.hits{reqcache.method=GetCustomer,reqcache.region=Customer}".
// A histogram gives its count, under the name with ".count", and, for
// integers, its sum under ".sum".
func (h *harness) points(t *testing.T) map[string]int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := h.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatalf("Collect() = %v", err)
	}
	out := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		if sm.Scope.Name != otel.ScopeName {
			t.Errorf("scope = %q; want %q", sm.Scope.Name, otel.ScopeName)
		}
		for _, m := range sm.Metrics {
			addPoints(t, out, m)
		}
	}
	return out
}

func addPoints(t *testing.T, out map[string]int64, m metricdata.Metrics) {
	t.Helper()
	switch d := m.Data.(type) {
	case metricdata.Sum[int64]:
		if !d.IsMonotonic {
			t.Errorf("%s is not monotonic", m.Name)
		}
		for _, p := range d.DataPoints {
			out[m.Name+attrs(p.Attributes)] = p.Value
		}
	case metricdata.Histogram[int64]:
		for _, p := range d.DataPoints {
			out[m.Name+".count"+attrs(p.Attributes)] = int64(p.Count)
			out[m.Name+".sum"+attrs(p.Attributes)] = p.Sum
		}
	case metricdata.Histogram[float64]:
		for _, p := range d.DataPoints {
			out[m.Name+".count"+attrs(p.Attributes)] = int64(p.Count)
		}
	default:
		t.Errorf("%s: unexpected data %T", m.Name, m.Data)
	}
}

// attrs formats a set of attributes as "{k=v,...}", in the set's order.
func attrs(s attribute.Set) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, kv := range s.ToSlice() {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%s=%s", kv.Key, kv.Value.Emit())
	}
	b.WriteByte('}')
	return b.String()
}

// spanInfo is what the tests assert of a span.
type spanInfo struct {
	Name   string
	Parent string // the parent's name, or "" for a root
	Attrs  string // the attributes, without reqcache.cache_id
	Status string
	Events string
}

// ended returns the spans that ended, in the order they ended.
func (h *harness) ended() []spanInfo {
	spans := h.spans.Ended()
	names := map[[8]byte]string{}
	for _, s := range spans {
		names[s.SpanContext().SpanID()] = s.Name()
	}
	out := make([]spanInfo, len(spans))
	for i, s := range spans {
		kvs := slices.DeleteFunc(slices.Clone(s.Attributes()), func(kv attribute.KeyValue) bool {
			return kv.Key == otel.CacheIDKey
		})
		var events []string
		for _, e := range s.Events() {
			events = append(events, e.Name)
		}
		out[i] = spanInfo{
			Name:   s.Name(),
			Parent: names[s.Parent().SpanID()],
			Attrs:  attrs(attribute.NewSet(kvs...)),
			Status: strings.TrimSpace(s.Status().Code.String() + " " + s.Status().Description),
			Events: strings.Join(events, ","),
		}
	}
	return out
}
