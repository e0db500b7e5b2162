// Package imports uses types of packages whose names clash with the
// generated file's imports.
package imports

import (
	"context"

	geo "github.com/reqcache/reqcache/cmd/reqcachegen/internal/gen/testdata/golden/imports/region"
	rc "github.com/reqcache/reqcache/region"
)

type Place struct {
	ID  int64
	Pos geo.Point
}

var (
	Places = rc.New[Place, int64]("imports.Place")
	At     = rc.NewParam[geo.Point]("at")
)

// next is a package-level name that the generated struct's field shares.
var next = 1

type Repo interface {
	//reqcache:read region=Places params=p:At
	Near(ctx context.Context, p geo.Point) (Place, error)
	//reqcache:read region=Places
	Next(ctx context.Context, p geo.Point, n int) ([]Place, error)
	//reqcache:write region=Places invalidate=id:pl.ID
	Save(ctx context.Context, pl Place) error
}
