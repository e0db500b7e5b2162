package otel

import (
	"context"
	"errors"
	"fmt"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/reqcache/reqcache/reqcache"
)

// The attribute keys of the Observer's spans and metrics.
const (
	// RegionKey is the region of the cached method (spans and metrics).
	RegionKey = attribute.Key("reqcache.region")
	// MethodKey is the name of the cached method (spans and metrics).
	MethodKey = attribute.Key("reqcache.method")
	// OutcomeKey is how a load ended: "loaded", "error", "panic" or
	// "cancelled" (spans and reqcache.load.duration).
	OutcomeKey = attribute.Key("reqcache.outcome")
	// KindKey is the kind of an invalidation, as in
	// reqcache.Invalidation.Kind (reqcache.invalidations).
	KindKey = attribute.Key("reqcache.kind")
	// ArgsKey holds the formatted arguments of a load (spans only).
	ArgsKey = attribute.Key("reqcache.args")
	// KeysKey is the number of keys a load was called with: above 1 for
	// a batch load (spans only).
	KeysKey = attribute.Key("reqcache.keys")
	// StoredKey reports whether the result of a load was stored (spans
	// only).
	StoredKey = attribute.Key("reqcache.stored")
	// CacheIDKey is the ID of the cache that loaded, as in
	// reqcache.Cache.ID (spans only).
	CacheIDKey = attribute.Key("reqcache.cache_id")
)

// An outcome is how a load ended.
type outcome int

const (
	loaded outcome = iota
	failed
	panicked
	cancelled
	numOutcomes
)

var outcomeNames = [numOutcomes]string{"loaded", "error", "panic", "cancelled"}

func (out outcome) String() string { return outcomeNames[out] }

// outcomeOf returns the outcome of the load that ended with r.
func outcomeOf(r reqcache.LoadResult) outcome {
	switch {
	case r.Panicked:
		return panicked
	case r.Exited:
		return cancelled
	case r.Err == nil:
		return loaded
	case errors.Is(r.Err, context.Canceled), errors.Is(r.Err, context.DeadlineExceeded):
		return cancelled
	}
	return failed
}

// startSpan starts the span of the load l of the method m. Arguments are
// formatted only for a span that records.
func (o *Observer) startSpan(ctx context.Context, m *methodAttrs, l reqcache.Load) (context.Context, trace.Span) {
	opts := []trace.SpanStartOption{
		trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithAttributes(m.span...),
		trace.WithAttributes(KeysKey.Int(l.Keys)),
	}
	if links := callerLinks(ctx, l.Callers); len(links) > 0 {
		opts = append(opts, trace.WithLinks(links...))
	}
	ctx, span := o.tracer.Start(ctx, m.spanName, opts...)
	if span.IsRecording() {
		if l.Cache != nil {
			span.SetAttributes(CacheIDKey.String(l.Cache.ID().String()))
		}
		if o.maxArgs >= 0 {
			span.SetAttributes(ArgsKey.String(l.Args(o.maxArgs)))
		}
	}
	return ctx, span
}

// callerLinks returns links to the spans of the callers a batch load
// serves, once each, leaving out the span of ctx, the load's parent.
func callerLinks(ctx context.Context, callers []context.Context) []trace.Link {
	if len(callers) == 0 {
		return nil
	}
	parent := trace.SpanContextFromContext(ctx)
	links := make([]trace.Link, 0, len(callers))
	for _, c := range callers {
		sc := trace.SpanContextFromContext(c)
		if !sc.IsValid() || sc.Equal(parent) || linked(links, sc) {
			continue
		}
		links = append(links, trace.Link{SpanContext: sc})
	}
	return links
}

func linked(links []trace.Link, sc trace.SpanContext) bool {
	for _, l := range links {
		if l.SpanContext.Equal(sc) {
			return true
		}
	}
	return false
}

// endSpan ends the span of a load that ended with r. Errors and panics set
// the span's status to Error; a cancelled load records its error but keeps
// the status unset, as the load did not fail of its own.
func endSpan(span trace.Span, out outcome, r reqcache.LoadResult) {
	if span.IsRecording() {
		span.SetAttributes(OutcomeKey.String(out.String()), StoredKey.Bool(r.Stored))
		switch out {
		case failed:
			span.RecordError(r.Err)
			span.SetStatus(codes.Error, r.Err.Error())
		case panicked:
			recordPanic(span, r.Err)
		case cancelled:
			if r.Err != nil {
				span.RecordError(r.Err)
			}
		}
	}
	span.End()
}

// recordPanic records the panic of a load as an exception event with the
// panic's value and stack, and sets the span's status to Error.
func recordPanic(span trace.Span, err error) {
	msg, stack := fmt.Sprint(err), ""
	var pe *reqcache.PanicError
	if errors.As(err, &pe) {
		msg, stack = fmt.Sprint(pe.Value), string(pe.Stack)
	}
	span.AddEvent("exception", trace.WithAttributes(
		attribute.String("exception.type", "panic"),
		attribute.String("exception.message", msg),
		attribute.String("exception.stacktrace", stack),
	))
	span.SetStatus(codes.Error, "panic: "+msg)
}
