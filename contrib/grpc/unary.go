package grpc

import (
	"context"

	"google.golang.org/grpc"
)

// UnaryServerInterceptor returns an interceptor that serves every unary
// call with a fresh request cache in its context, and closes the cache when
// the handler returns, or panics. Panics of the handler go on unchanged.
func UnaryServerInterceptor(opts Options) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		if opts.skip(info.FullMethod) {
			return handler(ctx, req)
		}
		ctx, c := opts.scope(ctx)
		defer opts.end(ctx, info.FullMethod, c)
		return handler(ctx, req)
	}
}
