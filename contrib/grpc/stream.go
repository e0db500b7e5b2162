package grpc

import (
	"context"

	"google.golang.org/grpc"
)

// StreamServerInterceptor returns an interceptor that serves every
// streaming call with a fresh request cache in the context of its stream,
// and closes the cache when the handler returns, or panics. Panics of the
// handler go on unchanged.
func StreamServerInterceptor(opts Options) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		if opts.skip(info.FullMethod) {
			return handler(srv, ss)
		}
		ctx, c := opts.scope(ss.Context())
		defer opts.end(ctx, info.FullMethod, c)
		return handler(srv, &serverStream{ServerStream: ss, ctx: ctx})
	}
}

// serverStream is a grpc.ServerStream whose context carries the call's
// cache.
type serverStream struct {
	grpc.ServerStream
	ctx context.Context
}

// Context returns the stream's context, which carries the call's cache.
func (s *serverStream) Context() context.Context { return s.ctx }
