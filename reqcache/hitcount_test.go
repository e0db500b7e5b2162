package reqcache

import (
	"sync"
	"testing"
)

func TestHitCount(t *testing.T) {
	tests := []struct {
		name   string
		spread bool // spread before counting, as after a collision
	}{
		{"one count", false},
		{"stripes", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h hitCount
			want := int64(0)
			if tt.spread {
				h.addStriped() // as a hit that collided does
				want++
			}
			for range 1000 {
				h.add()
			}
			want += 1000
			if got := h.load(); got != want {
				t.Errorf("load() = %d; want %d", got, want)
			}
			if got := h.stripes.Load() != nil; got != tt.spread {
				t.Errorf("spread = %v; want %v", got, tt.spread)
			}
		})
	}
}

// TestHitCount_Concurrent adds from many goroutines at once, which spreads
// the count over its stripes when two collide, and checks that no hit is
// lost or counted twice.
func TestHitCount_Concurrent(t *testing.T) {
	const goroutines, adds = 8, 5000
	var h hitCount
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range adds {
				h.add()
			}
		}()
	}
	wg.Wait()
	if got := h.load(); got != goroutines*adds {
		t.Errorf("load() = %d; want %d", got, goroutines*adds)
	}
}
