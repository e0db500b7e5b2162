package otel

import (
	"context"
	"sync"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/reqcache/reqcache/reqcache"
)

// ScopeName is the instrumentation scope of the Observer's tracer and
// meter.
const ScopeName = "github.com/reqcache/reqcache/contrib/otel"

// DefaultMaxArgs is the length, in bytes, to which a load span's arguments
// are cut when Options.MaxArgs is zero.
const DefaultMaxArgs = 128

// Options configure an Observer. The zero value uses the global tracer and
// meter providers.
type Options struct {
	// TracerProvider makes the tracer of the load spans. Nil means the
	// global provider, otel.GetTracerProvider().
	TracerProvider trace.TracerProvider

	// MeterProvider makes the meter of the metrics. Nil means the global
	// provider, otel.GetMeterProvider().
	MeterProvider metric.MeterProvider

	// MaxArgs bounds the length, in bytes, of the arguments a load span
	// records in reqcache.args. Zero means DefaultMaxArgs; a negative
	// value means that arguments are not recorded.
	MaxArgs int
}

// An Observer traces the loads of request caches and measures what the
// caches do, with OpenTelemetry. It implements reqcache.Observer. One
// Observer serves any number of caches, concurrently.
type Observer struct {
	tracer  trace.Tracer
	maxArgs int
	inst    instruments

	methods sync.Map // methodKey → *methodAttrs
	kinds   sync.Map // Invalidation.Kind → attribute.Set
}

var _ reqcache.Observer = (*Observer)(nil)

// New returns an Observer configured by opts. An error in making an
// instrument is handed to otel.Handle; the Observer works on without it.
func New(opts Options) *Observer {
	tp, mp := opts.TracerProvider, opts.MeterProvider
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	o := &Observer{
		tracer:  tp.Tracer(ScopeName),
		maxArgs: opts.MaxArgs,
	}
	if o.maxArgs == 0 {
		o.maxArgs = DefaultMaxArgs
	}
	if err := o.inst.init(mp.Meter(ScopeName)); err != nil {
		otel.Handle(err)
	}
	return o
}

// StartLoad starts the span of a load, and returns its context and the
// function that ends it. It implements reqcache.Observer.
func (o *Observer) StartLoad(ctx context.Context, l reqcache.Load) (context.Context, func(reqcache.LoadResult)) {
	m := o.method(l.Region, l.Method)
	ctx, span := o.startSpan(ctx, m, l)
	return ctx, func(r reqcache.LoadResult) {
		out := outcomeOf(r)
		endSpan(span, out, r)
		o.inst.duration.Record(ctx, r.Duration.Seconds(), metric.WithAttributeSet(m.outcomes[out]))
	}
}

// Invalidated counts an invalidation by its kind. It implements
// reqcache.Observer.
func (o *Observer) Invalidated(ctx context.Context, inv reqcache.Invalidation) {
	o.inst.invalidations.Add(ctx, 1, metric.WithAttributeSet(o.kind(inv.Kind)))
}

// Closed adds the counts of every method c used to the metrics, and
// records the entries each held. It implements reqcache.Observer.
func (o *Observer) Closed(c *reqcache.Cache) {
	ctx := context.Background()
	for _, s := range c.MethodStats() {
		o.inst.addStats(ctx, s.Stats, o.method(s.Region, s.Method).set)
	}
}

// methodKey identifies a cached method.
type methodKey struct{ region, method string }

// methodAttrs are the attributes of a cached method's spans and metrics,
// made once per method.
type methodAttrs struct {
	spanName string
	span     []attribute.KeyValue // region and method
	set      attribute.Set        // region and method
	outcomes [numOutcomes]attribute.Set
}

// method returns the attributes of the method named region and method.
// Their number is bounded by the cached methods the program declares.
func (o *Observer) method(region, method string) *methodAttrs {
	k := methodKey{region, method}
	if m, ok := o.methods.Load(k); ok {
		return m.(*methodAttrs)
	}
	r, me := RegionKey.String(region), MethodKey.String(method)
	m := &methodAttrs{
		spanName: "reqcache.load " + method,
		span:     []attribute.KeyValue{r, me},
		set:      attribute.NewSet(r, me),
	}
	for out := range m.outcomes {
		m.outcomes[out] = attribute.NewSet(r, me, OutcomeKey.String(outcome(out).String()))
	}
	v, _ := o.methods.LoadOrStore(k, m)
	return v.(*methodAttrs)
}

// kind returns the attributes of an invalidation of the given kind.
func (o *Observer) kind(kind string) attribute.Set {
	if s, ok := o.kinds.Load(kind); ok {
		return s.(attribute.Set)
	}
	s, _ := o.kinds.LoadOrStore(kind, attribute.NewSet(KindKey.String(kind)))
	return s.(attribute.Set)
}
