// Package badtypes has an interface whose types do not type-check, and
// code that uses the constructor the generator has not written yet.
package badtypes

import "context"

type Repo interface {
	Get(ctx context.Context, id int64) (Missing, error)
}

var _ = NewCachedRepo
