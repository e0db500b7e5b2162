package main

import (
	"log/slog"
	"net/http"

	"github.com/reqcache/reqcache/examples/chi-app/internal/api"
	"github.com/reqcache/reqcache/examples/chi-app/internal/cached"
	"github.com/reqcache/reqcache/examples/chi-app/internal/store"
	"github.com/reqcache/reqcache/middleware"
	"github.com/reqcache/reqcache/reqcache"
)

// newServer returns the storefront's handler over db. With cacheOn, every
// request gets a request cache, reports it in a Server-Timing header, and
// logs its invalidations and stats to slog's default logger at debug level;
// without, the same routes run the same code with no cache, and every read
// queries the database.
func newServer(db *store.Store, cacheOn bool) http.Handler {
	logger := slog.Default()
	repo := cached.New(db)
	if !cacheOn {
		return api.NewRouter(repo, logger)
	}
	return api.NewRouter(repo, logger, middleware.RequestCache(middleware.Options{
		ServerTiming: true,
		Logger:       logger,
		OnEnd: func(r *http.Request, c *reqcache.Cache) {
			if !logger.Enabled(r.Context(), slog.LevelDebug) {
				return
			}
			s := c.Stats()
			logger.LogAttrs(r.Context(), slog.LevelDebug, "request cache",
				slog.String("cache", c.ID().String()),
				slog.String("request", r.Method+" "+r.URL.Path),
				slog.Int64("hits", s.Hits), slog.Int64("misses", s.Misses),
				slog.Int64("loads", s.Loads), slog.Int64("invalidated", s.Invalidated))
		},
	}))
}
