package invalidate_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/reqcache/reqcache/invalidate"
	"github.com/reqcache/reqcache/region"
)

var errWrite = errors.New("write failed")

func TestAfter(t *testing.T) {
	one := func(id int64) []region.Target { return []region.Target{Customers.Tag(id)} }
	tests := []struct {
		name      string
		write     func(ctx context.Context, fail bool) error
		wantGone  bool
		wantError string
	}{
		{"After1", func(ctx context.Context, fail bool) error {
			w := invalidate.After1(func(context.Context, int64) error { return failIf(fail) }, one)
			return w(ctx, 1)
		}, true, ""},
		{"After1R", func(ctx context.Context, fail bool) error {
			w := invalidate.After1R(func(_ context.Context, c Customer) (Customer, error) { return c, failIf(fail) },
				func(_ Customer, r Customer) []region.Target { return one(r.ID) })
			_, err := w(ctx, Customer{ID: 1})
			return err
		}, true, ""},
		{"After2", func(ctx context.Context, fail bool) error {
			w := invalidate.After2(func(context.Context, int64, string) error { return failIf(fail) },
				func(id int64, _ string) []region.Target { return one(id) })
			return w(ctx, 1, "x")
		}, true, ""},
		{"After2R", func(ctx context.Context, fail bool) error {
			w := invalidate.After2R(func(context.Context, int64, string) (int, error) { return 0, failIf(fail) },
				func(id int64, _ string, _ int) []region.Target { return one(id) })
			_, err := w(ctx, 1, "x")
			return err
		}, true, ""},
		{"malformed target", func(ctx context.Context, fail bool) error {
			w := invalidate.After1(func(context.Context, int64) error { return failIf(fail) },
				func(int64) []region.Target { return []region.Target{region.Tag{}} })
			return w(ctx, 1)
		}, false, "the write succeeded, but its invalidation failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRepo(t)
			if err := tt.write(r.ctx, true); !errors.Is(err, errWrite) {
				t.Fatalf("failed write error = %v; want %v", err, errWrite)
			}
			if _, ok := r.byID.Peek(r.ctx, 1); !ok {
				t.Errorf("a failed write invalidated customer 1")
			}
			err := tt.write(r.ctx, false)
			if tt.wantError == "" && err != nil || tt.wantError != "" && (err == nil || !strings.Contains(err.Error(), tt.wantError)) {
				t.Errorf("write error = %v; want %q", err, tt.wantError)
			}
			if _, ok := r.byID.Peek(r.ctx, 1); ok == tt.wantGone {
				t.Errorf("after the write, byID.Peek(1) held = %v; want %v", ok, !tt.wantGone)
			}
		})
	}
}

func failIf(fail bool) error {
	if fail {
		return errWrite
	}
	return nil
}
