package badtypes

import "context"

// Fine is an interface that type-checks in a package that does not.
type Fine interface {
	Get(ctx context.Context, id int64) (string, error)
}
