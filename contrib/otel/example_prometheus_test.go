package otel_test

import (
	"bufio"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/reqcache/reqcache/contrib/otel"
	"github.com/reqcache/reqcache/middleware"
	"github.com/reqcache/reqcache/reqcache"
)

// The metrics of every request's cache, served at /metrics for Prometheus
// through the OpenTelemetry Prometheus exporter, on a chi router. The
// /metrics route is mounted outside the group that gives requests a cache.
func Example_prometheus() {
	registry := prometheus.NewRegistry()
	exporter, err := otelprom.New(otelprom.WithRegisterer(registry), otelprom.WithoutScopeInfo(), otelprom.WithoutTargetInfo())
	if err != nil {
		panic(err)
	}
	obs := otel.New(otel.Options{MeterProvider: sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter))})

	db := &repo{}
	getCustomer := reqcache.Cache1(Customers, db.GetCustomer, CustomerID, reqcache.Name("GetCustomer"))

	customer := func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
		for range 2 { // the second call is a hit
			c, err := getCustomer.Get(r.Context(), id)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			fmt.Fprintln(w, c.Name)
		}
	}

	r := chi.NewRouter()
	r.Handle("/metrics", promhttp.HandlerFor(registry, promhttp.HandlerOpts{}))
	r.Group(func(r chi.Router) {
		r.Use(middleware.RequestCache(middleware.Options{Observer: obs}))
		r.Get("/customers/{id}", customer)
	})

	for _, path := range []string{"/customers/1", "/customers/2", "/customers/404"} {
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "reqcache_") && (strings.Contains(line, "_total{") || strings.Contains(line, "_seconds_count{")) {
			fmt.Println(line)
		}
	}
	// Output:
	// reqcache_errors_total{reqcache_method="GetCustomer",reqcache_region="Customer"} 1
	// reqcache_evicted_total{reqcache_method="GetCustomer",reqcache_region="Customer"} 0
	// reqcache_expired_total{reqcache_method="GetCustomer",reqcache_region="Customer"} 0
	// reqcache_hits_total{reqcache_method="GetCustomer",reqcache_region="Customer"} 2
	// reqcache_invalidated_total{reqcache_method="GetCustomer",reqcache_region="Customer"} 0
	// reqcache_load_duration_seconds_count{reqcache_method="GetCustomer",reqcache_outcome="error",reqcache_region="Customer"} 1
	// reqcache_load_duration_seconds_count{reqcache_method="GetCustomer",reqcache_outcome="loaded",reqcache_region="Customer"} 2
	// reqcache_loads_total{reqcache_method="GetCustomer",reqcache_region="Customer"} 3
	// reqcache_misses_total{reqcache_method="GetCustomer",reqcache_region="Customer"} 3
	// reqcache_stale_served_total{reqcache_method="GetCustomer",reqcache_region="Customer"} 0
}
