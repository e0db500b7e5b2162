package reqcache

import (
	"fmt"
	"strconv"
	"strings"
)

// A key is the argument tuple of one call of a cached method: its == means
// "the same call". The arguments' types were checked at declaration (see
// checkKeyType), so that == never panics and means equal values; a key
// with a NaN in it is not equal to itself, and is never stored.
type key[K any] interface {
	comparable
	// arg returns the i-th argument, boxed.
	arg(i int) any
	// argIs reports whether the i-th argument is v.
	argIs(i int, v any) bool
	// fromArgs returns the key of the arguments args, or false if one has
	// the wrong type.
	fromArgs(args []any) (K, bool)
	// format formats the arguments, as in `42, "Smith"`.
	format() string
}

// key0 is the key of a method without arguments: it has one call.
type key0 struct{}

func (key0) arg(int) any                 { return nil }
func (key0) argIs(int, any) bool         { return false }
func (key0) fromArgs([]any) (key0, bool) { return key0{}, true }
func (key0) format() string              { return "" }

// key1 is the key of a method of one argument, and of a batch method.
type key1[A comparable] struct{ a A }

func (k key1[A]) arg(int) any             { return k.a }
func (k key1[A]) argIs(_ int, v any) bool { return is(k.a, v) }
func (k key1[A]) format() string          { return formatArg(k.a) }

func (key1[A]) fromArgs(args []any) (key1[A], bool) {
	a, ok := args[0].(A)
	return key1[A]{a}, ok
}

// key2 is the key of a method of two arguments.
type key2[A, B comparable] struct {
	a A
	b B
}

func (k key2[A, B]) arg(i int) any {
	if i == 0 {
		return k.a
	}
	return k.b
}

func (k key2[A, B]) argIs(i int, v any) bool {
	if i == 0 {
		return is(k.a, v)
	}
	return is(k.b, v)
}

func (k key2[A, B]) format() string { return formatArgs(k.a, k.b) }

func (key2[A, B]) fromArgs(args []any) (key2[A, B], bool) {
	a, ok1 := args[0].(A)
	b, ok2 := args[1].(B)
	return key2[A, B]{a, b}, ok1 && ok2
}

// key3 is the key of a method of three arguments.
type key3[A, B, C comparable] struct {
	a A
	b B
	c C
}

func (k key3[A, B, C]) arg(i int) any {
	switch i {
	case 0:
		return k.a
	case 1:
		return k.b
	}
	return k.c
}

func (k key3[A, B, C]) argIs(i int, v any) bool {
	switch i {
	case 0:
		return is(k.a, v)
	case 1:
		return is(k.b, v)
	}
	return is(k.c, v)
}

func (k key3[A, B, C]) format() string { return formatArgs(k.a, k.b, k.c) }

func (key3[A, B, C]) fromArgs(args []any) (key3[A, B, C], bool) {
	a, ok1 := args[0].(A)
	b, ok2 := args[1].(B)
	c, ok3 := args[2].(C)
	return key3[A, B, C]{a, b, c}, ok1 && ok2 && ok3
}

// spaced is a key in the shared store of a method: the key space of the
// Cache it belongs to (see Cache.space), and the call's key.
type spaced[K comparable] struct {
	seq uint64
	k   K
}

// is reports whether v is a T equal to x.
func is[T comparable](x T, v any) bool {
	y, ok := v.(T)
	return ok && x == y
}

// formatArg formats an argument for a description: strings quoted, the rest
// as by fmt.Print.
func formatArg(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(v)
}

// formatArgs formats arguments, separated by commas.
func formatArgs(args ...any) string {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(formatArg(a))
	}
	return b.String()
}
