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
}

// ParamInfo is the untyped description of a [Param]. There is one ParamInfo
// per name and type, so ParamInfo pointers compare equal exactly when they
// describe the same parameter.
type ParamInfo struct {
	name string
	typ  reflect.Type
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

// NewParam declares the parameter with the given name and type T. It panics
// if name is empty.
func NewParam[T comparable](name string) *Param[T] {
	if name == "" {
		panic(fmt.Sprintf("region: parameter of type %v declared with an empty name", reflect.TypeFor[T]()))
	}
	k := paramKey{name: name, typ: reflect.TypeFor[T]()}
	if !keytype.Safe(k.typ) {
		panic(fmt.Sprintf("region: parameter %q of type %v cannot key an index: it holds an interface, whose values may not be comparable", name, k.typ))
	}
	params.Lock()
	defer params.Unlock()
	in, ok := params.m[k]
	if !ok {
		in = &ParamInfo{name: k.name, typ: k.typ}
		params.m[k] = in
	}
	return &Param[T]{info: in}
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
func (p *Param[T]) Is(v T) Cond { return Cond{param: p.info, value: v} }

// Name returns the parameter's name.
func (in *ParamInfo) Name() string { return in.name }

// Type returns the parameter's type.
func (in *ParamInfo) Type() reflect.Type { return in.typ }

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
