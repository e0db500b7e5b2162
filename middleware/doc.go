// Package middleware gives every HTTP request a fresh request cache.
//
// RequestCache puts a new reqcache.Cache in the context of each request,
// so that the cached repository methods called while serving it share one
// cache, and closes it when the handler returns. It is a plain
// func(http.Handler) http.Handler: mount it with chi's Use, With or Group,
// or wrap any net/http handler.
//
//	r := chi.NewRouter()
//	r.Use(middleware.RequestCache(middleware.Options{ServerTiming: true}))
//	r.Get("/customers/{id}", getCustomer)
//
// With zero Options the middleware costs two allocations per request, the
// floor for a middleware that adds a value to the request's context: the
// context that carries the cache, and the request copy that carries the
// context. The cache's storage is made only if the handler calls a cached
// method. Each option that needs more work per request says so.
package middleware
