package region

import (
	"fmt"
	"reflect"
	"sync"

	"github.com/reqcache/reqcache/internal/keytype"
)

// A Param is a named, typed parameter of cached methods, such as
// "customerID" of type int64. Methods declare which of their arguments are
// which parameters; invalidations select entries by parameter values.
//
// Parameters are identified by name and type: two NewParam calls with the same
// name and the same type declare the same parameter, so packages may declare
// the parameters they share independently. A Param is safe for concurrent use.
type Param[T comparable] struct {
	info *ParamInfo
	key  func(T) T // nil: a value is its own key
}

// ParamInfo is the untyped description of a [Param]. There is one ParamInfo
// per name and type, so ParamInfo pointers compare equal exactly when they
// describe the same parameter.
type ParamInfo struct {
	name   string
	typ    reflect.Type
	keyed  bool // declared with NewParamKey
	notKey bool // declared with NewNotKey: no parameter
}

// Parameter is implemented by every [Param], whatever its type.
type Parameter interface {
	Info() *ParamInfo
}

type paramKey struct {
	name string
	typ  reflect.Type
}

var params = struct {
	sync.Mutex
	m map[paramKey]*ParamInfo
}{m: map[paramKey]*ParamInfo{}}

// NewParam declares the parameter with the given name and type T.
//
// A parameter's == must mean "the same call": NewParam panics for types
// where it does not, since a cache keyed by them would silently miss or
// keep stale entries. Pointers and channels compare by identity, time.Time
// by its monotonic reading and location besides its instant, interfaces
// may hold values that cannot be compared; structs and arrays holding any
// of these are refused too. Declare such a parameter with NewParamKey.
// Floats are allowed: NaN is not equal to itself, so a call with a NaN
// argument is never stored, and runs the function every time.
//
// NewParam also panics if name is empty, or if the parameter was declared
// with NewParamKey or NewNotKey.
func NewParam[T comparable](name string) *Param[T] {
	return newParam[T](name, nil)
}

// NewParamKey declares the parameter with the given name and type T whose
// values v and w are the same call when key(v) == key(w): key returns the
// canonical form of a value, such as t.UTC().Round(0) for a time.Time.
// Calls are cached, and matched by invalidations, under key's result.
// NewParamKey panics if name is empty, if key is nil, or if the parameter
// was declared with NewParam or NewNotKey.
func NewParamKey[T comparable](name string, key func(T) T) *Param[T] {
	if key == nil {
		panic(fmt.Sprintf("region: NewParamKey(%q): nil key function", name))
	}
	return newParam(name, key)
}

func newParam[T comparable](name string, key func(T) T) *Param[T] {
	k := paramKey{name: name, typ: reflect.TypeFor[T]()}
	if name == "" {
		panic(fmt.Sprintf("region: parameter of type %v declared with an empty name", k.typ))
	}
	if !keytype.Safe(k.typ) {
		panic(fmt.Sprintf("region: parameter %q of type %v cannot key a cache: it holds an interface, whose values may not be comparable", name, k.typ))
	}
	if p := keytype.Problem(k.typ); p != "" && key == nil {
		panic(fmt.Sprintf("region: parameter %q of type %v cannot key a cache: %s; declare it with NewParamKey and a function that returns equal values for the same call", name, k.typ, p))
	}
	params.Lock()
	defer params.Unlock()
	in, ok := params.m[k]
	if !ok {
		in = &ParamInfo{name: k.name, typ: k.typ, keyed: key != nil}
		params.m[k] = in
	}
	if in.notKey {
		panic(fmt.Sprintf("region: parameter %q of type %v is declared with NewNotKey already: a NotKey is no part of any key, and invalidations cannot match on it", name, k.typ))
	}
	if in.keyed != (key != nil) {
		panic(fmt.Sprintf("region: parameter %q of type %v declared both with and without NewParamKey", name, k.typ))
	}
	return &Param[T]{info: in, key: key}
}

// Info returns the untyped description of p, or nil if p is nil.
func (p *Param[T]) Info() *ParamInfo {
	if p == nil {
		return nil
	}
	return p.info
}

// Name returns the name p was declared with.
func (p *Param[T]) Name() string { return p.info.name }

// String returns the parameter's name and type, as in "customerID int64".
func (p *Param[T]) String() string { return p.info.String() }

// Is returns the condition that the parameter p has the value v.
func (p *Param[T]) Is(v T) Cond { return Cond{param: p.info, value: p.Key(v)} }

// Key returns the value that keys v in a cache: v itself, or for a
// parameter declared with NewParamKey, its key function's result.
func (p *Param[T]) Key(v T) T {
	if p.key == nil {
		return v
	}
	return p.key(v)
}

// KeyFunc returns the key function p was declared with, or nil.
func (p *Param[T]) KeyFunc() func(T) T { return p.key }

// Name returns the parameter's name.
func (in *ParamInfo) Name() string { return in.name }

// Type returns the parameter's type.
func (in *ParamInfo) Type() reflect.Type { return in.typ }

// Keyed reports whether the parameter was declared with NewParamKey.
func (in *ParamInfo) Keyed() bool { return in.keyed }

// String returns the parameter's name and type, as in "customerID int64".
func (in *ParamInfo) String() string { return in.name + " " + in.typ.String() }

// A Cond is the condition that a parameter has a value. Build one with
// [Param.Is].
type Cond struct {
	param *ParamInfo
	value any
}

// Param returns the parameter the condition is about.
func (c Cond) Param() *ParamInfo { return c.param }

// Value returns the value the parameter must have. Its dynamic type is the
// parameter's type.
func (c Cond) Value() any { return c.value }

// String returns the condition as name=value.
func (c Cond) String() string {
	if c.param == nil {
		return "<zero Cond>"
	}
	return fmt.Sprintf("%s=%v", c.param.name, c.value)
}
