package reqcache_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"go.uber.org/goleak"

	"github.com/reqcache/reqcache/region"
)

// TestMain fails the package's tests if any goroutine outlives them: the
// cache starts none of its own, and loads must not leave waiters behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// The test domain: items in groups, and orders of items.
type item struct {
	ID      int64
	Group   string
	Version int64
}

type order struct {
	ID     int64
	ItemID int64
}

var (
	Items  = region.New[item, int64]("item")
	Orders = region.New[order, int64]("order")

	ItemID  = region.NewParam[int64]("itemID")
	Group   = region.NewParam[string]("group")
	OrderID = region.NewParam[int64]("orderID")
	Kind    = region.NewParam[int]("kind")
	Label   = region.NewParam[string]("label")
)

var errBoom = errors.New("boom")

// counted wraps f in a repository method that counts its calls.
func counted[A, V any](f func(A) (V, error)) (func(context.Context, A) (V, error), *atomic.Int64) {
	var n atomic.Int64
	return func(_ context.Context, a A) (V, error) {
		n.Add(1)
		return f(a)
	}, &n
}

// itemOf is the item a free loader returns for id.
func itemOf(id int64) (item, error) {
	return item{ID: id, Group: fmt.Sprintf("g%d", id%2)}, nil
}

// gate blocks a load until the test opens it, and tells the test when the
// load has started.
type gate struct {
	started chan struct{}
	open    chan struct{}
}

func newGate() *gate {
	return &gate{started: make(chan struct{}, 64), open: make(chan struct{})}
}

func (g *gate) wait() {
	g.started <- struct{}{}
	<-g.open
}
