package otel

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/reqcache/reqcache/reqcache"
)

func TestOutcomeOf(t *testing.T) {
	errDB := errors.New("db down")
	tests := []struct {
		name string
		r    reqcache.LoadResult
		want string
	}{
		{"loaded", reqcache.LoadResult{Stored: true}, "loaded"},
		{"error", reqcache.LoadResult{Err: errDB}, "error"},
		{"panic", reqcache.LoadResult{Err: &reqcache.PanicError{Value: "boom"}, Panicked: true}, "panic"},
		{"panic with a context error", reqcache.LoadResult{Err: &reqcache.PanicError{Value: context.Canceled}, Panicked: true}, "panic"},
		{"canceled", reqcache.LoadResult{Err: context.Canceled}, "cancelled"},
		{"deadline, wrapped", reqcache.LoadResult{Err: fmt.Errorf("query: %w", context.DeadlineExceeded)}, "cancelled"},
		{"exited", reqcache.LoadResult{Exited: true}, "cancelled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := outcomeOf(tt.r).String(); got != tt.want {
				t.Errorf("outcomeOf(%+v) = %s; want %s", tt.r, got, tt.want)
			}
		})
	}
}
