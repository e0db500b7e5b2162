// Package sqlc has the shape of the code sqlc generates with emit_interface:
// the annotations come from "-- reqcache:" lines in the queries' comments,
// which sqlc copies as "// reqcache:".
package sqlc

import (
	"context"
	"database/sql"
	"time"

	"github.com/reqcache/reqcache/region"
)

type Author struct {
	ID      int64
	Name    string
	Bio     sql.NullString
	Created time.Time
}

type CreateAuthorParams struct {
	Name string
	Bio  sql.NullString
}

type UpdateAuthorParams struct {
	ID   int64
	Name string
	Bio  sql.NullString
}

type ListAuthorsSinceParams struct {
	Since time.Time
	Limit int32
}

var (
	Authors  = region.New[Author, int64]("sqlc.Author")
	AuthorID = region.NewParam[int64]("authorID")
)

func authorIDs(as []Author) []int64 {
	ids := make([]int64, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	return ids
}

type Querier interface {
	// reqcache:write region=Authors
	CreateAuthor(ctx context.Context, arg CreateAuthorParams) (Author, error)
	// reqcache:write region=Authors invalidate=id:id
	DeleteAuthor(ctx context.Context, id int64) error
	// Returns one author.
	// reqcache:read region=Authors params=id:AuthorID id=param:id
	GetAuthor(ctx context.Context, id int64) (Author, error)
	// reqcache:read region=Authors ids=result:authorIDs
	ListAuthors(ctx context.Context) ([]Author, error)
	// reqcache:read region=Authors ids=result:authorIDs
	ListAuthorsSince(ctx context.Context, arg ListAuthorsSinceParams) ([]Author, error)
	// reqcache:write region=Authors invalidate=id:arg.ID
	UpdateAuthor(ctx context.Context, arg UpdateAuthorParams) (int64, error)
}

var _ Querier = (*Queries)(nil)

// Queries stands for sqlc's implementation.
type Queries struct{}

func (*Queries) CreateAuthor(context.Context, CreateAuthorParams) (Author, error) {
	return Author{}, nil
}
func (*Queries) DeleteAuthor(context.Context, int64) error                       { return nil }
func (*Queries) GetAuthor(context.Context, int64) (Author, error)                { return Author{}, nil }
func (*Queries) ListAuthors(context.Context) ([]Author, error)                   { return nil, nil }
func (*Queries) UpdateAuthor(context.Context, UpdateAuthorParams) (int64, error) { return 0, nil }
func (*Queries) ListAuthorsSince(context.Context, ListAuthorsSinceParams) ([]Author, error) {
	return nil, nil
}
