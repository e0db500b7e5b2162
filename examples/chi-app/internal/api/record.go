package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
	"github.com/reqcache/reqcache/middleware"
	"github.com/reqcache/reqcache/reqcache"
)

// A Record is what the access log and the metrics know of a request when
// it ends.
type Record struct {
	RequestID string // chi's
	Method    string
	Path      string
	Route     string // the route's pattern, such as /customers/{id}
	Status    int    // StatusClientGone if the client went away
	Bytes     int
	Duration  time.Duration
	Queries   int64           // SQL statements
	Cache     *reqcache.Stats // nil without a request cache

	queries *store.QueryCounter
}

type recordKey struct{}

// recordFrom returns the Record of the request of ctx, or nil.
func recordFrom(ctx context.Context) *Record {
	rec, _ := ctx.Value(recordKey{}).(*Record)
	return rec
}

// record returns the middleware that makes every request's Record, then
// logs it, if opts.AccessLog, and passes it to opts.Metrics, if set.
func record(opts Options) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &Record{RequestID: chimw.GetReqID(r.Context()), Method: r.Method, Path: r.URL.Path}
			ww := chimw.NewWrapResponseWriter(w, r.ProtoMajor)
			next.ServeHTTP(ww, r.WithContext(context.WithValue(r.Context(), recordKey{}, rec)))
			rec.Duration = time.Since(start)
			rec.Status, rec.Bytes = ww.Status(), ww.BytesWritten()
			if rec.Status == 0 {
				rec.Status = http.StatusOK
			}
			if rctx := chi.RouteContext(r.Context()); rctx != nil {
				rec.Route = rctx.RoutePattern()
			}
			rec.Queries = rec.queries.N()
			if opts.AccessLog {
				logRecord(r.Context(), opts.Logger, rec)
			}
			if opts.Metrics != nil {
				opts.Metrics.Observe(rec)
			}
		})
	}
}

// maxLogged is the number of bytes of a path or request ID that the access
// log keeps.
const maxLogged = 200

// logRecord writes the access log's line of rec.
func logRecord(ctx context.Context, l *slog.Logger, rec *Record) {
	attrs := make([]slog.Attr, 0, 11)
	attrs = append(attrs,
		slog.String("id", cut(rec.RequestID, maxLogged)),
		slog.String("method", cut(rec.Method, maxLogged)),
		slog.String("path", cut(rec.Path, maxLogged)),
		slog.Int("status", rec.Status),
		slog.Int("bytes", rec.Bytes),
		slog.Duration("dur", rec.Duration),
		slog.Int64("queries", rec.Queries))
	if s := rec.Cache; s != nil {
		attrs = append(attrs, slog.Int64("hits", s.Hits), slog.Int64("misses", s.Misses), slog.Int64("loads", s.Loads))
	}
	l.LogAttrs(ctx, slog.LevelInfo, "request", attrs...)
}

// cut returns the first n bytes of s.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// requestCache returns the request cache's middleware, which reports the
// cache's stats to the request's Record, its invalidations to logger at
// debug level, and everything to obs, if not nil, and gives the requests
// timing picks (all if nil) the Server-Timing entry.
func requestCache(logger *slog.Logger, obs reqcache.Observer, timing func(*http.Request) bool) func(http.Handler) http.Handler {
	return middleware.RequestCache(middleware.Options{
		ServerTiming:    true,
		ServerTimingFor: timing,
		Logger:          logger,
		Observer:        obs,
		OnEnd: func(r *http.Request, c *reqcache.Cache) {
			if rec := recordFrom(r.Context()); rec != nil {
				s := c.Stats()
				rec.Cache = &s
			}
		},
	})
}
