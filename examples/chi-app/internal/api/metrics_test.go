package api

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// scrape returns what m serves at /metrics.
func scrape(t *testing.T, m *OTelMetrics) string {
	t.Helper()
	w := httptest.NewRecorder()
	m.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	if w.Code != 200 {
		t.Fatalf("GET /metrics = %d; want 200", w.Code)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("GET /metrics: Content-Type %q; want text/plain", ct)
	}
	return w.Body.String()
}

func TestOTelMetrics(t *testing.T) {
	m, err := NewOTelMetrics()
	if err != nil {
		t.Fatal(err)
	}
	m.Observe(&Record{Status: 200, Duration: time.Second, Queries: 2})
	m.Observe(&Record{Status: 404, Duration: time.Second})
	m.Observe(&Record{Status: StatusClientGone})

	// A request cache watched by the metrics' Observer: one miss, one hit.
	things := region.New[string, int64]("Thing")
	thingID := region.NewParam[int64]("thingID")
	get := reqcache.Cache1(things, func(context.Context, int64) (string, error) { return "thing", nil },
		thingID, reqcache.Name("GetThing"))
	ctx, c := reqcache.ScopeWithOptions(context.Background(), reqcache.Options{Observer: m.CacheObserver()})
	for range 2 {
		if _, err := get.Get(ctx, 1); err != nil {
			t.Fatal(err)
		}
	}
	c.Close()

	body := scrape(t, m)
	for _, want := range []string{
		`chiapp_requests_total{code="2xx"} 1`,
		`chiapp_requests_total{code="4xx"} 1`,
		`chiapp_requests_total{code="gone"} 1`,
		`chiapp_request_duration_seconds_sum{code="2xx"} 1`,
		`chiapp_request_duration_seconds_count{code="4xx"} 1`,
		`chiapp_db_queries_total 2`,
		`reqcache_hits_total{reqcache_method="GetThing",reqcache_region="Thing"} 1`,
		`reqcache_misses_total{reqcache_method="GetThing",reqcache_region="Thing"} 1`,
		`reqcache_loads_total{reqcache_method="GetThing",reqcache_region="Thing"} 1`,
		`reqcache_load_duration_seconds_count{reqcache_method="GetThing",reqcache_outcome="loaded",reqcache_region="Thing"} 1`,
		`go_goroutines `,
	} {
		if !strings.Contains(body, "\n"+want) {
			t.Errorf("GET /metrics lacks %q:\n%s", want, body)
		}
	}
}
