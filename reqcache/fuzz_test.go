package reqcache_test

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// labelOf is the parameter the fuzzed method derives from its result.
func labelOf(id int64) string { return strconv.FormatInt(id%3, 10) }

// FuzzMatch loads calls given by the input into two methods of a region,
// applies one filter given by the input, and checks what stays against a
// model: an entry goes if its method declares every parameter of the filter
// and its values match, or if its method lacks one of them.
func FuzzMatch(f *testing.F) {
	f.Add([]byte{1, 0, 2, 1, 3, 0}, uint8(0b011), int64(1), "a", "1")
	f.Add([]byte{0, 0, 0, 1, 5, 2, 5, 3}, uint8(0b010), int64(0), "b", "2")
	f.Add([]byte{7, 3}, uint8(0b100), int64(7), "d", "1")
	f.Add([]byte{}, uint8(0), int64(0), "", "")
	f.Add([]byte{1, 1, 1, 1}, uint8(0b111), int64(1), "b", "1")

	pair := reqcache.Cache2(Items, func(_ context.Context, id int64, g string) (item, error) {
		return item{ID: id, Group: g}, nil
	}, ItemID, Group, reqcache.ParamFromResult(Label, func(i item) string { return labelOf(i.ID) }))
	byID := reqcache.Cache1(Items, func(_ context.Context, id int64) (item, error) {
		return item{ID: id}, nil
	}, ItemID)

	f.Fuzz(func(t *testing.T, calls []byte, mask uint8, id int64, group, label string) {
		type call struct {
			id    int64
			group string
		}
		var loaded []call
		for i := 0; i+1 < len(calls) && i < 64; i += 2 {
			c := call{int64(calls[i] % 8), string(rune('a' + calls[i+1]%4))}
			if !slices.Contains(loaded, c) {
				loaded = append(loaded, c)
			}
		}
		var conds []region.Cond
		if mask&1 != 0 {
			conds = append(conds, ItemID.Is(id))
		}
		if mask&2 != 0 {
			conds = append(conds, Group.Is(group))
		}
		if mask&4 != 0 {
			conds = append(conds, Label.Is(label))
		}

		ctx, c := reqcache.Scope(context.Background())
		defer c.Close()
		ids := map[int64]bool{}
		for _, l := range loaded {
			_, _ = pair.Get(ctx, l.id, l.group)
			ids[l.id] = true
		}
		for id := range ids {
			_, _ = byID.Get(ctx, id)
		}
		n, err := reqcache.Invalidate(ctx, Items.Where(conds...))
		if err != nil {
			t.Fatalf("Invalidate(%v) error = %v", conds, err)
		}

		want := 0
		for _, l := range loaded {
			gone := (mask&1 == 0 || l.id == id) && (mask&2 == 0 || l.group == group) && (mask&4 == 0 || labelOf(l.id) == label)
			if _, held := pair.Peek(ctx, l.id, l.group); held == gone {
				t.Errorf("after Invalidate(%v), pair.Peek(%d, %q) held = %v; want %v", conds, l.id, l.group, held, !gone)
			}
			if gone {
				want++
			}
		}
		for i := range ids {
			gone := mask&0b110 != 0 || mask&0b111 == 0 || i == id // byID lacks group and label
			if _, held := byID.Peek(ctx, i); held == gone {
				t.Errorf("after Invalidate(%v), byID.Peek(%d) held = %v; want %v", conds, i, held, !gone)
			}
			if gone {
				want++
			}
		}
		if n != want {
			t.Errorf("Invalidate(%v) = %d; want %d", conds, n, want)
		}
	})
}

// FuzzKeys checks that two calls share an entry exactly when their
// arguments are equal: no formatting or hashing mixes them up.
func FuzzKeys(f *testing.F) {
	f.Add("a", "b", "a", "b")
	f.Add("a", "b", "b", "a")
	f.Add("ab", "", "a", "b")
	f.Add("", "", "", "\x00")
	f.Add("a\x00b", "c", "a", "b\x00c")

	pair := reqcache.Cache2(Items, func(_ context.Context, a, b string) ([2]string, error) {
		return [2]string{a, b}, nil
	}, Group, Label)

	f.Fuzz(func(t *testing.T, a1, b1, a2, b2 string) {
		ctx, c := reqcache.Scope(context.Background())
		defer c.Close()
		if v, err := pair.Get(ctx, a1, b1); err != nil || v != [2]string{a1, b1} {
			t.Fatalf("Get(%q, %q) = %q, %v", a1, b1, v, err)
		}
		same := a1 == a2 && b1 == b2
		if _, held := pair.Peek(ctx, a2, b2); held != same {
			t.Errorf("after Get(%q, %q), Peek(%q, %q) held = %v; want %v", a1, b1, a2, b2, held, same)
		}
		if v, err := pair.Get(ctx, a2, b2); err != nil || v != [2]string{a2, b2} {
			t.Errorf("Get(%q, %q) = %q, %v; want its own arguments back", a2, b2, v, err)
		}
	})
}
