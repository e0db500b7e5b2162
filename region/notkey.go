package region

import (
	"fmt"
	"reflect"
)

// A NotKey is a named argument of cached methods that is passed to the
// function they wrap but is no part of their key, as Metalama's
// [NotCacheKey]: a logger, a tracing handle, an options struct that does
// not change the result. Calls that differ only in it are the same call:
// they share one entry, and the function runs with the argument of the call
// that loads it. Wrap such a method with reqcache.Cache1NotKey and its
// siblings.
//
// A NotKey has no Is, and is no [Parameter]: invalidations cannot match on
// it, and a strict region cannot list it, which the compiler checks. Since
// its values are never compared, its type T needs no ==: a pointer, an
// interface or a struct holding functions is fine.
//
// Like parameters, NotKeys are identified by name and type, and share the
// parameters' names: declaring a NotKey and a parameter with the same name
// and type panics, whichever comes first, so that no invalidation can be
// written that seems to match on a NotKey but matches on something else.
// A NotKey is safe for concurrent use.
type NotKey[T any] struct {
	info *ParamInfo
}

// NewNotKey declares the argument with the given name and type T that
// cached methods take but leave out of their keys. It panics if name is
// empty, or if a parameter of the same name and type was declared with
// NewParam or NewParamKey.
func NewNotKey[T any](name string) *NotKey[T] {
	k := paramKey{name: name, typ: reflect.TypeFor[T]()}
	if name == "" {
		panic(fmt.Sprintf("region: not-key argument of type %v declared with an empty name", k.typ))
	}
	params.Lock()
	defer params.Unlock()
	in, ok := params.m[k]
	if !ok {
		in = &ParamInfo{name: k.name, typ: k.typ, notKey: true}
		params.m[k] = in
	}
	if !in.notKey {
		panic(fmt.Sprintf("region: %q of type %v is declared as a parameter already; it cannot also be a NotKey: a parameter is part of keys and matched by invalidations, a NotKey is neither", name, k.typ))
	}
	return &NotKey[T]{info: in}
}

// Name returns the name x was declared with.
func (x *NotKey[T]) Name() string { return x.info.name }

// String returns the argument's name and type, as in "logger *slog.Logger".
func (x *NotKey[T]) String() string { return x.info.String() }
