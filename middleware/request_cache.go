package middleware

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/reqcache/reqcache/reqcache"
)

// Options configure RequestCache. The zero value is ready to use: every
// request gets a cache bounded by reqcache.DefaultMaxEntries, the handler
// gets the ResponseWriter it was given, and nothing is reported.
type Options struct {
	// ServerTiming adds to the responses ServerTimingFor picks a
	// Server-Timing header entry named reqcache, with the time spent in the
	// loads of the request's cache, in milliseconds, and its hits, misses
	// and loads:
	//
	//	Server-Timing: reqcache;dur=12.3;desc="hits=12 misses=3 loads=3"
	//
	// The entry is added when the response's header is written, before the
	// first byte of the body: at the handler's first WriteHeader (other than
	// a 1xx), Write, ReadFrom or Flush, or when the handler returns if it
	// wrote nothing. It counts the cache calls made, and the loads ended,
	// until then. A hijacked connection gets no entry. Other Server-Timing
	// entries are kept.
	//
	// dur adds up the durations of the loads, as LoadResult.Duration gives
	// them: loads that run at the same time, in goroutines of the handler
	// or as the keys of one batch, each count, so dur can exceed the time
	// the request took. It is measured by an Observer of the request's
	// cache that passes every call on to Options.Observer.
	//
	// ServerTiming wraps the ResponseWriter. The wrapper keeps http.Flusher,
	// http.Hijacker and io.ReaderFrom, and unwraps for
	// http.ResponseController. False means no header, no wrapper and no
	// Observer: requests without the entry cost what they cost without
	// ServerTiming.
	ServerTiming bool

	// ServerTimingFor, if not nil, is called with every request that has a
	// cache when ServerTiming is true, and only the requests it returns
	// true for get the Server-Timing entry (say, those with a debug header,
	// or from internal clients); the others are served as if ServerTiming
	// were false. Nil means every request gets the entry. Setting it with
	// ServerTiming false is a mistake RequestCache panics at.
	ServerTimingFor func(r *http.Request) bool

	// MaxEntries bounds the number of entries each request's cache holds at
	// once, as reqcache.Options.MaxEntries does: zero means
	// reqcache.DefaultMaxEntries, and a negative value means no bound.
	MaxEntries int

	// Skip, if not nil, is called with every request; when it returns true,
	// the request is served without a cache, as if the middleware were not
	// there, and cached methods call the functions they wrap. Nil means
	// every request gets a cache.
	Skip func(r *http.Request) bool

	// Logger, if not nil, logs every invalidation of a request's cache at
	// slog.LevelDebug: what was invalidated, and the entries it removed.
	// Describing entries costs allocations, so the hook is installed only
	// for requests whose context the logger is enabled at debug level for.
	// Nil means no logging.
	Logger *slog.Logger

	// Observer, if not nil, watches every request's cache, as
	// reqcache.Options.Observer does. Nil means none.
	Observer reqcache.Observer

	// Verify turns on verify mode for the share of hits it gives, as
	// reqcache.Options.Verify does; stale reads go to OnStaleRead and to
	// Logger at slog.LevelWarn. Zero means off.
	Verify float64

	// OnStaleRead, if not nil, is called with every stale read verify
	// mode finds, as reqcache.Options.OnStaleRead is.
	OnStaleRead func(reqcache.StaleRead)

	// OnEnd, if not nil, is called when the handler returned or panicked,
	// with the request the handler was given and its cache, already closed:
	// c.Stats(), c.StatsByRegion() and c.ID() stay readable, for metrics and
	// logs. A panic goes on after OnEnd returns. OnEnd is not called for
	// requests that Skip skipped. Nil means no call.
	OnEnd func(r *http.Request, c *reqcache.Cache)
}

// RequestCache returns a middleware that serves every request with a fresh
// request cache in its context, as made by reqcache.ScopeWithOptions, and
// closes the cache when the handler returns, or panics: nothing a request
// cached outlives it. Panics of the handler go on unchanged.
//
// Cached methods find the cache with reqcache.FromContext(r.Context()), so
// the request must be passed on: goroutines that outlive the request see a
// closed cache, whose cached methods call the functions they wrap.
//
// RequestCache panics if opts.ServerTimingFor is set while
// opts.ServerTiming is false.
func RequestCache(opts Options) func(http.Handler) http.Handler {
	if opts.ServerTimingFor != nil && !opts.ServerTiming {
		panic("middleware: RequestCache: Options.ServerTimingFor is set but Options.ServerTiming is false")
	}
	return func(next http.Handler) http.Handler {
		return &requestCache{opts: opts, next: next}
	}
}

type requestCache struct {
	opts Options
	next http.Handler
}

func (m *requestCache) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if m.opts.Skip != nil && m.opts.Skip(r) {
		m.next.ServeHTTP(w, r)
		return
	}
	if m.serverTiming(r) {
		m.serveTimed(w, r)
		return
	}
	ctx, c := m.scope(r, m.opts.Observer)
	r = r.WithContext(ctx)
	defer m.end(r, c)
	m.next.ServeHTTP(w, r)
}

// serveTimed serves r with the Server-Timing entry: its cache is watched by
// the timingWriter's loadTimer, which passes on to Options.Observer.
func (m *requestCache) serveTimed(w http.ResponseWriter, r *http.Request) {
	tw := &timingWriter{ResponseWriter: w, loads: loadTimer{next: m.opts.Observer}}
	ctx, c := m.scope(r, &tw.loads)
	tw.cache = c
	r = r.WithContext(ctx)
	defer m.end(r, c)
	m.next.ServeHTTP(tw, r)
	tw.finish()
}

// serverTiming reports whether r gets the Server-Timing entry.
func (m *requestCache) serverTiming(r *http.Request) bool {
	return m.opts.ServerTiming && (m.opts.ServerTimingFor == nil || m.opts.ServerTimingFor(r))
}

// scope returns the context that carries the new cache of r, watched by o,
// and the cache.
func (m *requestCache) scope(r *http.Request, o reqcache.Observer) (context.Context, *reqcache.Cache) {
	opts := reqcache.Options{
		MaxEntries:  m.opts.MaxEntries,
		Observer:    o,
		Verify:      m.opts.Verify,
		OnStaleRead: m.opts.OnStaleRead,
		Logger:      m.opts.Logger,
	}
	if l := m.opts.Logger; l != nil && l.Enabled(r.Context(), slog.LevelDebug) {
		return scopeLogged(r, opts, l)
	}
	return reqcache.ScopeWithOptions(r.Context(), opts)
}

// end closes the cache of r, and reports it to OnEnd.
func (m *requestCache) end(r *http.Request, c *reqcache.Cache) {
	c.Close()
	if m.opts.OnEnd != nil {
		m.opts.OnEnd(r, c)
	}
}

// scopeLogged is reqcache.ScopeWithOptions with an OnInvalidate hook that
// logs to l. It is a function of its own so that the variables the hook
// captures cost nothing to requests without it.
func scopeLogged(r *http.Request, opts reqcache.Options, l *slog.Logger) (context.Context, *reqcache.Cache) {
	parent := r.Context()
	var c *reqcache.Cache
	opts.OnInvalidate = func(inv reqcache.Invalidation) {
		l.LogAttrs(parent, slog.LevelDebug, "reqcache: invalidated",
			slog.String("cache", c.ID().String()),
			slog.String("request", r.Method+" "+r.URL.Path),
			slog.String("target", inv.Target),
			slog.Int("removed", len(inv.Removed)),
			slog.Any("entries", inv.Removed),
		)
	}
	ctx, c := reqcache.ScopeWithOptions(parent, opts)
	return ctx, c
}
