package grpc

import (
	"context"

	"github.com/reqcache/reqcache/reqcache"
)

// Options configure the interceptors. The zero value is ready to use: every
// call gets a cache bounded by reqcache.DefaultMaxEntries, and nothing is
// reported.
type Options struct {
	// MaxEntries bounds the number of entries each call's cache holds at
	// once, as reqcache.Options.MaxEntries does: zero means
	// reqcache.DefaultMaxEntries, and a negative value means no bound.
	MaxEntries int

	// Skip, if not nil, is called with the full method name of every
	// call, as in "/package.Service/Method"; when it returns true, the
	// call is served without a cache, as if the interceptor were not
	// there. Nil means every call gets a cache.
	Skip func(fullMethod string) bool

	// Observer, if not nil, watches every call's cache, as
	// reqcache.Options.Observer does. Nil means none.
	Observer reqcache.Observer

	// OnEnd, if not nil, is called when the handler returned or panicked,
	// with the context the handler was given, the full method name, and
	// the call's cache, already closed: c.Stats(), c.StatsByRegion() and
	// c.ID() stay readable, for metrics and logs. A panic goes on after
	// OnEnd returns. OnEnd is not called for calls that Skip skipped. Nil
	// means no call.
	OnEnd func(ctx context.Context, fullMethod string, c *reqcache.Cache)
}

func (o *Options) skip(fullMethod string) bool {
	return o.Skip != nil && o.Skip(fullMethod)
}

// scope returns a copy of ctx that carries a new cache, and the cache.
func (o *Options) scope(ctx context.Context) (context.Context, *reqcache.Cache) {
	return reqcache.ScopeWithOptions(ctx, reqcache.Options{MaxEntries: o.MaxEntries, Observer: o.Observer})
}

// end closes the cache of a call, and reports it to OnEnd.
func (o *Options) end(ctx context.Context, fullMethod string, c *reqcache.Cache) {
	c.Close()
	if o.OnEnd != nil {
		o.OnEnd(ctx, fullMethod, c)
	}
}
