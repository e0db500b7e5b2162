// Package grpc gives every call of a gRPC server a request cache, as
// package middleware does for HTTP requests.
//
// UnaryServerInterceptor and StreamServerInterceptor serve each call with a
// fresh reqcache.Cache in its context, made by reqcache.ScopeWithOptions,
// and close it when the handler returns or panics, so that nothing a call
// cached outlives it. A stream handler finds the cache in
// stream.Context().
//
// The package is named for its directory; import it under another name
// next to google.golang.org/grpc:
//
//	import reqcachegrpc "github.com/reqcache/reqcache/contrib/grpc"
package grpc
