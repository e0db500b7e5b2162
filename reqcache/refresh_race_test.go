package reqcache_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"

	"github.com/reqcache/reqcache/reqcache"
)

// Deep Refresh with other goroutines of the cache at work. Run with
// go test -race -count=50 -run 'Refresh_(Other|Concurrent)'.

func TestRefresh_OtherGoroutinesJoinItsLoads(t *testing.T) {
	db := newRefreshDB()
	r := newSummaryRepo(db)
	ctx, c := freshScope(t, r)
	defer c.Close()
	g := newGate()
	db.gate[1] = g
	waiting, restore := reqcache.OnWaiting()
	defer restore()

	refreshed := make(chan []int64)
	go func() {
		v, _ := r.summary.Refresh(ctx, 2)
		refreshed <- v
	}()
	select {
	case <-g.started: // the refresh loads item 1
	case v := <-refreshed:
		t.Fatalf("summary.Refresh(2) = %v without loading item 1", v)
	}

	// Item 2 is not reached yet: a plain Get takes the stored value, and
	// does not load.
	if it, err := r.item.Get(ctx, 2); err != nil || it.Version != 0 {
		t.Errorf("item.Get(2) during the refresh = %+v, %v; want the stored version 0", it, err)
	}
	// Item 1 is loading in the refresh: a plain Get joins its load.
	joined := make(chan item)
	go func() {
		it, _ := r.item.Get(ctx, 1)
		joined <- it
	}()
	<-waiting
	close(g.open)
	if it := <-joined; it.Version != 1 {
		t.Errorf("item.Get(1) joined the refresh's load and got %+v; want version 1", it)
	}
	if v := <-refreshed; !slices.Equal(v, []int64{1, 1}) {
		t.Errorf("summary.Refresh(2) = %v; want [1 1]", v)
	}
	if got := db.takeLoads(); got["item(1)"] != 1 || got["item(2)"] != 1 {
		t.Errorf("loads = %v; want items 1 and 2 loaded once each", got)
	}
}

// TestRefresh_ConcurrentCallers runs plain reads of every level while a
// deep refresh replaces them: the plain reads get the old or the new
// values and load nothing, and the refresh loads each call once.
func TestRefresh_ConcurrentCallers(t *testing.T) {
	db := newRefreshDB()
	r := newSummaryRepo(db)
	ctx, c := freshScope(t, r)
	defer c.Close()

	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for range 20 {
				o := int64(g%2 + 1)
				it, err := r.item.Get(ctx, o)
				v, err2 := r.view.Get(ctx, o)
				s, err3 := r.summary.Get(ctx, 2)
				if err := errors.Join(err, err2, err3); err != nil {
					errs <- err
					return
				}
				if it.Version > 1 || v.Item.Version > 1 || len(s) != 2 || s[0] > 1 || s[1] > 1 {
					errs <- fmt.Errorf("read %+v, %+v, %v; want versions 0 or 1", it, v, s)
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-start
		if v, err := r.summary.Refresh(ctx, 2); err != nil || !slices.Equal(v, []int64{1, 1}) {
			errs <- fmt.Errorf("summary.Refresh(2) = %v, %v; want [1 1]", v, err)
		}
	}()
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	want := map[string]int{"summary(2)": 1, "view(1)": 1, "view(2)": 1, "item(1)": 1, "item(2)": 1}
	if got := db.takeLoads(); !maps.Equal(got, want) {
		t.Errorf("loads = %v; want %v: each call of the refresh once, none by the plain reads", got, want)
	}
	if v, err := r.summary.Get(ctx, 2); err != nil || !slices.Equal(v, []int64{1, 1}) {
		t.Errorf("summary.Get(2) after the refresh = %v, %v; want [1 1]", v, err)
	}
}
