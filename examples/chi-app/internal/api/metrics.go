package api

import (
	"fmt"
	"net/http"
	"sync/atomic"
)

// Metrics see every request's Record, and serve /metrics. Counters are the
// app's own; an exporter of another metrics system fits here as well.
type Metrics interface {
	http.Handler
	// Observe is called with the Record of every request when it ends.
	// It must not keep rec.
	Observe(rec *Record)
}

// Counters are Metrics that count requests, and serve the counts in
// Prometheus's text format. The zero value is ready to use.
type Counters struct {
	byClass [6]atomic.Int64 // 1xx to 5xx at 1 to 5; clients gone at 0
	nanos   atomic.Int64
	queries atomic.Int64
	hits    atomic.Int64
	misses  atomic.Int64
	loads   atomic.Int64
}

// Observe counts rec.
func (c *Counters) Observe(rec *Record) {
	class := rec.Status / 100
	if rec.Status == StatusClientGone || class < 1 || class > 5 {
		class = 0
	}
	c.byClass[class].Add(1)
	c.nanos.Add(int64(rec.Duration))
	c.queries.Add(rec.Queries)
	if s := rec.Cache; s != nil {
		c.hits.Add(s.Hits)
		c.misses.Add(s.Misses)
		c.loads.Add(s.Loads)
	}
}

// ServeHTTP writes the counts.
func (c *Counters) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintln(w, "# HELP chiapp_requests_total Requests, by status class; gone: the client went away first.")
	fmt.Fprintln(w, "# TYPE chiapp_requests_total counter")
	for class := 1; class <= 5; class++ {
		fmt.Fprintf(w, "chiapp_requests_total{code=\"%dxx\"} %d\n", class, c.byClass[class].Load())
	}
	fmt.Fprintf(w, "chiapp_requests_total{code=\"gone\"} %d\n", c.byClass[0].Load())
	counter(w, "chiapp_request_duration_seconds_total", "Time spent serving requests.", float64(c.nanos.Load())/1e9)
	counter(w, "chiapp_db_queries_total", "SQL statements run for requests.", c.queries.Load())
	counter(w, "chiapp_reqcache_hits_total", "Request cache calls answered by an entry.", c.hits.Load())
	counter(w, "chiapp_reqcache_misses_total", "Request cache calls that found no entry.", c.misses.Load())
	counter(w, "chiapp_reqcache_loads_total", "Calls of the functions the request cache wraps.", c.loads.Load())
}

func counter(w http.ResponseWriter, name, help string, v any) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n%s %v\n", name, help, name, name, v)
}
