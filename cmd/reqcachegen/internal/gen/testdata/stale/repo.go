// Package stale has an output file that does not compile any more.
package stale

import (
	"context"

	"github.com/reqcache/reqcache/region"
)

var Things = region.New[string, string]("stale.Thing")

type Repo interface {
	//reqcache:read region=Things
	Get(ctx context.Context, id string) (string, error)
}
