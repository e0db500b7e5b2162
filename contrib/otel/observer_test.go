package otel_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	otelapi "go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"

	"github.com/reqcache/reqcache/contrib/otel"
	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/reqcache"
)

// scriptedRequest runs a request in the span "request": hits, misses, an
// error, a panic that it recovers, a cancelled load, a load inside a load,
// an invalidation, and a batch load. It returns the cache, closed.
func scriptedRequest(t *testing.T, h *harness) *reqcache.Cache {
	t.Helper()
	r := newCachedRepo(&repo{})
	ctx, span := h.tp.Tracer("test").Start(context.Background(), "request")
	defer span.End()
	ctx, c := reqcache.ScopeWithOptions(ctx, reqcache.Options{Observer: h.obs})
	defer c.Close()

	for range 3 {
		mustGet(t, r.customer, ctx, 1) // a load, then two hits
	}
	if _, err := r.customer.Get(ctx, missingID); !errors.Is(err, errNotFound) {
		t.Errorf("Get(%d) = %v; want %v", missingID, err, errNotFound)
	}
	func() {
		defer func() {
			if v := recover(); v != "boom" {
				t.Errorf("Get(%d) panicked with %v; want boom", panicID, v)
			}
		}()
		_, _ = r.customer.Get(ctx, panicID)
	}()
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := r.customer.Get(cctx, cancelledID); !errors.Is(err, context.Canceled) {
		t.Errorf("Get(%d) = %v; want %v", cancelledID, err, context.Canceled)
	}
	if _, err := r.order.Get(ctx, 12); err != nil { // loads customer 2 inside
		t.Errorf("GetOrder(12) = %v", err)
	}
	if n := invalidate.ID(ctx, Customers, 1); n != 1 {
		t.Errorf("invalidate.ID(1) = %d; want 1", n)
	}
	mustGet(t, r.customer, ctx, 1) // loaded again
	for _, ids := range [][]int64{{1, 5, 6}, {5, 6}} {
		if m, err := r.customers.Get(ctx, ids); err != nil || len(m) != len(ids) {
			t.Errorf("GetCustomers(%v) = %v, %v; want %d customers", ids, m, err, len(ids))
		}
	}
	return c
}

func mustGet(t *testing.T, f *reqcache.Func1[int64, Customer], ctx context.Context, id int64) {
	t.Helper()
	if c, err := f.Get(ctx, id); err != nil || c.ID != id {
		t.Errorf("Get(%d) = %v, %v; want customer %d", id, c, err, id)
	}
}

func TestObserver_Spans(t *testing.T) {
	h := newHarness(t, otel.Options{})
	scriptedRequest(t, h)

	load := func(method, parent, attrs string) spanInfo {
		return spanInfo{Name: "reqcache.load " + method, Parent: parent, Attrs: attrs}
	}
	customer := func(args, outcome string, stored bool) string {
		return fmt.Sprintf("{reqcache.args=%s,reqcache.keys=1,reqcache.method=GetCustomer,reqcache.outcome=%s,reqcache.region=Customer,reqcache.stored=%t}", args, outcome, stored)
	}
	withStatus := func(s spanInfo, status, events string) spanInfo {
		s.Status, s.Events = status, events
		return s
	}
	want := []spanInfo{
		load("GetCustomer", "request", customer("1", "loaded", true)),
		withStatus(load("GetCustomer", "request", customer("404", "error", false)), "Error not found", "exception"),
		withStatus(load("GetCustomer", "request", customer("666", "panic", false)), "Error panic: boom", "exception"),
		withStatus(load("GetCustomer", "request", customer("499", "cancelled", false)), "Unset", "exception"),
		load("GetCustomer", "reqcache.load GetOrder", customer("2", "loaded", true)),
		load("GetOrder", "request", "{reqcache.args=12,reqcache.keys=1,reqcache.method=GetOrder,reqcache.outcome=loaded,reqcache.region=Order,reqcache.stored=true}"),
		load("GetCustomer", "request", customer("1", "loaded", true)),
		load("GetCustomers", "request", "{reqcache.args=1, 5, 6,reqcache.keys=3,reqcache.method=GetCustomers,reqcache.outcome=loaded,reqcache.region=Customer,reqcache.stored=true}"),
		{Name: "request", Attrs: "{}"},
	}
	for i := range want {
		if want[i].Status == "" {
			want[i].Status = "Unset"
		}
	}
	if diff := cmp.Diff(want, h.ended()); diff != "" {
		t.Errorf("spans (-want +got):\n%s", diff)
	}
}

func TestObserver_SpanCacheID(t *testing.T) {
	h := newHarness(t, otel.Options{})
	c := scriptedRequest(t, h)
	for _, s := range h.spans.Ended() {
		if s.Name() == "request" {
			continue
		}
		var got string
		for _, kv := range s.Attributes() {
			if kv.Key == otel.CacheIDKey {
				got = kv.Value.AsString()
			}
		}
		if want := c.ID().String(); got != want {
			t.Errorf("%s: %s = %q; want %q", s.Name(), otel.CacheIDKey, got, want)
		}
	}
}

func TestObserver_PanicEvent(t *testing.T) {
	h := newHarness(t, otel.Options{})
	scriptedRequest(t, h)
	for _, s := range h.spans.Ended() {
		for _, e := range s.Events() {
			got := map[string]string{}
			for _, kv := range e.Attributes {
				got[string(kv.Key)] = kv.Value.Emit()
			}
			if got["exception.type"] != "panic" {
				continue
			}
			if got["exception.message"] != "boom" || !strings.Contains(got["exception.stacktrace"], "GetCustomer") {
				t.Errorf("panic event = %v; want message boom and a stack through GetCustomer", got)
			}
			return
		}
	}
	t.Errorf("no span has a panic event")
}

func TestObserver_Metrics(t *testing.T) {
	h := newHarness(t, otel.Options{})
	scriptedRequest(t, h)

	const (
		customer  = "{reqcache.method=GetCustomer,reqcache.region=Customer}"
		customers = "{reqcache.method=GetCustomers,reqcache.region=Customer}"
		order     = "{reqcache.method=GetOrder,reqcache.region=Order}"
	)
	outcome := func(method, region, outcome string) string {
		return fmt.Sprintf("{reqcache.method=%s,reqcache.outcome=%s,reqcache.region=%s}", method, outcome, region)
	}
	want := map[string]int64{
		"reqcache.hits" + customer: 2, "reqcache.hits" + customers: 2, "reqcache.hits" + order: 0,
		"reqcache.misses" + customer: 6, "reqcache.misses" + customers: 3, "reqcache.misses" + order: 1,
		// A batch function called once for three keys is one load.
		"reqcache.loads" + customer: 6, "reqcache.loads" + customers: 1, "reqcache.loads" + order: 1,
		"reqcache.errors" + customer: 3, "reqcache.errors" + customers: 0, "reqcache.errors" + order: 0,
		"reqcache.invalidated" + customer: 1, "reqcache.invalidated" + customers: 0, "reqcache.invalidated" + order: 0,
		"reqcache.evicted" + customer: 0, "reqcache.evicted" + customers: 0, "reqcache.evicted" + order: 0,
		"reqcache.stale_served" + customer: 0, "reqcache.stale_served" + customers: 0, "reqcache.stale_served" + order: 0,
		"reqcache.expired" + customer: 0, "reqcache.expired" + customers: 0, "reqcache.expired" + order: 0,
		// One point per method and request, with the entries held at the
		// end: customers 1 and 2 (the order's), the batch's 1, 5 and 6, and
		// the order.
		"reqcache.entries.count" + customer: 1, "reqcache.entries.count" + customers: 1, "reqcache.entries.count" + order: 1,
		"reqcache.entries.sum" + customer: 2, "reqcache.entries.sum" + customers: 3, "reqcache.entries.sum" + order: 1,
		"reqcache.load.duration.count" + outcome("GetCustomer", "Customer", "loaded"):    3,
		"reqcache.load.duration.count" + outcome("GetCustomer", "Customer", "error"):     1,
		"reqcache.load.duration.count" + outcome("GetCustomer", "Customer", "panic"):     1,
		"reqcache.load.duration.count" + outcome("GetCustomer", "Customer", "cancelled"): 1,
		"reqcache.load.duration.count" + outcome("GetCustomers", "Customer", "loaded"):   1,
		"reqcache.load.duration.count" + outcome("GetOrder", "Order", "loaded"):          1,
		"reqcache.invalidations{reqcache.kind=id}":                                       1,
	}
	if diff := cmp.Diff(want, h.points(t)); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
}

// Two requests add up; a request that used no cached method adds nothing.
func TestObserver_MetricsAddUp(t *testing.T) {
	h := newHarness(t, otel.Options{})
	scriptedRequest(t, h)
	scriptedRequest(t, h)
	_, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{Observer: h.obs})
	c.Close()

	got := h.points(t)
	for key, want := range map[string]int64{
		"reqcache.hits{reqcache.method=GetCustomer,reqcache.region=Customer}":          4,
		"reqcache.loads{reqcache.method=GetOrder,reqcache.region=Order}":               2,
		"reqcache.entries.count{reqcache.method=GetOrder,reqcache.region=Order}":       2,
		"reqcache.invalidations{reqcache.kind=id}":                                     2,
		"reqcache.errors{reqcache.method=GetCustomers,reqcache.region=Customer}":       0,
		"reqcache.misses{reqcache.method=GetCustomers,reqcache.region=Customer}":       6,
		"reqcache.invalidated{reqcache.method=GetCustomer,reqcache.region=Customer}":   2,
		"reqcache.evicted{reqcache.method=GetCustomers,reqcache.region=Customer}":      0,
		"reqcache.entries.count{reqcache.method=GetCustomer,reqcache.region=Customer}": 2,
	} {
		if got[key] != want {
			t.Errorf("%s = %d; want %d", key, got[key], want)
		}
	}
}

func TestObserver_Evicted(t *testing.T) {
	h := newHarness(t, otel.Options{})
	r := newCachedRepo(&repo{})
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{Observer: h.obs, MaxEntries: 2})
	for id := range int64(5) {
		mustGet(t, r.customer, ctx, id)
	}
	c.Close()

	got := h.points(t)
	const customer = "{reqcache.method=GetCustomer,reqcache.region=Customer}"
	for key, want := range map[string]int64{
		"reqcache.loads" + customer:   5,
		"reqcache.evicted" + customer: 3,
	} {
		if got[key] != want {
			t.Errorf("%s = %d; want %d", key, got[key], want)
		}
	}
}

func TestObserver_Invalidations(t *testing.T) {
	h := newHarness(t, otel.Options{})
	r := newCachedRepo(&repo{})
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{Observer: h.obs})
	mustGet(t, r.customer, ctx, 1)
	mustGet(t, r.customer, ctx, 2)
	r.customer.Invalidate(ctx, 1)                             // call
	r.customer.Invalidate(ctx, 1)                             // call, removing nothing
	invalidate.ID(ctx, Customers, 2)                          // id
	_, _ = invalidate.Match(ctx, Customers, CustomerID.Is(3)) // match
	invalidate.Region(ctx, Orders)                            // region
	invalidate.All(ctx)                                       // all
	c.Close()

	got := h.points(t)
	for kind, want := range map[string]int64{"call": 2, "id": 1, "match": 1, "region": 1, "all": 1} {
		key := "reqcache.invalidations{reqcache.kind=" + kind + "}"
		if got[key] != want {
			t.Errorf("%s = %d; want %d", key, got[key], want)
		}
	}
}

func TestObserver_MaxArgs(t *testing.T) {
	ids := make([]int64, 100)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	all := strings.Trim(fmt.Sprint(ids), "[]")
	all = strings.ReplaceAll(all, " ", ", ")
	tests := []struct {
		name    string
		maxArgs int
		want    string // "" for no attribute
	}{
		{"default", 0, all[:otel.DefaultMaxArgs-len("…")] + "…"},
		{"short", 10, "1, 2, 3…"},
		{"long", 1000, all},
		{"off", -1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, otel.Options{MaxArgs: tt.maxArgs})
			r := newCachedRepo(&repo{})
			ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{Observer: h.obs})
			if _, err := r.customers.Get(ctx, ids); err != nil {
				t.Fatalf("GetCustomers() = %v", err)
			}
			c.Close()
			spans := h.spans.Ended()
			if len(spans) != 1 {
				t.Fatalf("%d spans; want 1", len(spans))
			}
			got, found := "", false
			for _, kv := range spans[0].Attributes() {
				if kv.Key == otel.ArgsKey {
					got, found = kv.Value.AsString(), true
				}
			}
			if got != tt.want || found != (tt.want != "") {
				t.Errorf("%s = %q (found %t); want %q", otel.ArgsKey, got, found, tt.want)
			}
		})
	}
}

// A batch load links to the spans of the callers it served, once each,
// and not to its own parent.
func TestObserver_BatchLinks(t *testing.T) {
	h := newHarness(t, otel.Options{})
	tracer := h.tp.Tracer("test")
	parent, ps := tracer.Start(context.Background(), "parent")
	a, as := tracer.Start(context.Background(), "a")
	b, bs := tracer.Start(context.Background(), "b")

	_, end := h.obs.StartLoad(parent, reqcache.Load{
		Region: "Customer", Method: "GetCustomers", Keys: 4,
		Callers: []context.Context{a, b, a, context.Background(), parent},
	})
	end(reqcache.LoadResult{Stored: true})
	ps.End()
	as.End()
	bs.End()

	spans := h.spans.Ended()
	if len(spans) == 0 || spans[0].Name() != "reqcache.load GetCustomers" {
		t.Fatalf("first span = %v; want reqcache.load GetCustomers", spans)
	}
	var got []trace.SpanContext
	for _, l := range spans[0].Links() {
		got = append(got, l.SpanContext)
	}
	want := []trace.SpanContext{as.SpanContext(), bs.SpanContext()}
	if diff := cmp.Diff(want, got, cmp.Comparer(trace.SpanContext.Equal)); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
	if p := spans[0].Parent(); !p.Equal(ps.SpanContext()) {
		t.Errorf("parent = %v; want %v", p, ps.SpanContext())
	}
}

// Zero providers in Options mean the global ones.
func TestNew_GlobalProviders(t *testing.T) {
	h := newHarness(t, otel.Options{}) // for its providers
	tp, mp := otelapi.GetTracerProvider(), otelapi.GetMeterProvider()
	otelapi.SetTracerProvider(h.tp)
	otelapi.SetMeterProvider(h.mp)
	t.Cleanup(func() {
		otelapi.SetTracerProvider(tp)
		otelapi.SetMeterProvider(mp)
	})

	obs := otel.New(otel.Options{})
	r := newCachedRepo(&repo{})
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{Observer: obs})
	mustGet(t, r.customer, ctx, 1)
	mustGet(t, r.customer, ctx, 1)
	c.Close()

	if n := len(h.spans.Ended()); n != 1 {
		t.Errorf("%d spans; want 1", n)
	}
	const key = "reqcache.hits{reqcache.method=GetCustomer,reqcache.region=Customer}"
	if got := h.points(t)[key]; got != 1 {
		t.Errorf("%s = %d; want 1", key, got)
	}
}

// One Observer serves the caches of concurrent requests.
func TestObserver_Concurrent(t *testing.T) {
	h := newHarness(t, otel.Options{})
	r := newCachedRepo(&repo{})
	const requests = 8
	var wg sync.WaitGroup
	for i := range requests {
		wg.Go(func() {
			ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{Observer: h.obs})
			defer c.Close()
			for range 3 {
				mustGet(t, r.customer, ctx, int64(i%2))
			}
			invalidate.ID(ctx, Customers, int64(i%2))
		})
	}
	wg.Wait()

	got := h.points(t)
	const customer = "{reqcache.method=GetCustomer,reqcache.region=Customer}"
	for key, want := range map[string]int64{
		"reqcache.hits" + customer:                 2 * requests,
		"reqcache.loads" + customer:                requests,
		"reqcache.invalidated" + customer:          requests,
		"reqcache.entries.count" + customer:        requests,
		"reqcache.invalidations{reqcache.kind=id}": requests,
		"reqcache.load.duration.count{reqcache.method=GetCustomer,reqcache.outcome=loaded,reqcache.region=Customer}": requests,
	} {
		if got[key] != want {
			t.Errorf("%s = %d; want %d", key, got[key], want)
		}
	}
	if n := len(h.spans.Ended()); n != requests {
		t.Errorf("%d spans; want %d", n, requests)
	}
}

func TestObserver_Expired(t *testing.T) {
	h := newHarness(t, otel.Options{})
	db := &repo{}
	customer := reqcache.Cache1(Customers, db.GetCustomer, CustomerID, reqcache.Name("AgedCustomer"), reqcache.MaxAge(time.Minute))
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{Observer: h.obs, Clock: func() time.Time { return now }})
	mustGet(t, customer, ctx, 1)
	now = now.Add(2 * time.Minute)
	mustGet(t, customer, ctx, 1)
	c.Close()

	got := h.points(t)
	const aged = "{reqcache.method=AgedCustomer,reqcache.region=Customer}"
	for key, want := range map[string]int64{
		"reqcache.loads" + aged:   2,
		"reqcache.expired" + aged: 1,
	} {
		if got[key] != want {
			t.Errorf("%s = %d; want %d", key, got[key], want)
		}
	}
}
