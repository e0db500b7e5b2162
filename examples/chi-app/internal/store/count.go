package store

import (
	"context"
	"sync/atomic"
)

// A QueryCounter counts the SQL statements run with a context that carries
// it, as made by WithQueryCounter: the statements of one request.
type QueryCounter struct {
	n atomic.Int64
}

// N returns the number of statements counted.
func (c *QueryCounter) N() int64 {
	if c == nil {
		return 0
	}
	return c.n.Load()
}

type counterKey struct{}

// WithQueryCounter returns a copy of ctx that carries a new QueryCounter,
// and the counter.
func WithQueryCounter(ctx context.Context) (context.Context, *QueryCounter) {
	c := new(QueryCounter)
	return context.WithValue(ctx, counterKey{}, c), c
}

// QueryCounterFrom returns the QueryCounter that ctx carries, or nil.
func QueryCounterFrom(ctx context.Context) *QueryCounter {
	c, _ := ctx.Value(counterKey{}).(*QueryCounter)
	return c
}

// count counts one statement in the counter of ctx.
func count(ctx context.Context) {
	if c := QueryCounterFrom(ctx); c != nil {
		c.n.Add(1)
	}
}
