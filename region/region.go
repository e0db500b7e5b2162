package region

import (
	"fmt"
	"reflect"
	"sync"

	"github.com/reqcache/reqcache/internal/keytype"
)

// A Region declares the part of a request cache that holds values about one
// domain type T, whose entities are identified by unique IDs of type K.
//
// Regions are declared once, at package level, with [New]. Cached methods
// name the region they belong to; invalidations name the region they apply
// to. A Region is safe for concurrent use.
type Region[T any, K comparable] struct {
	info *Info
}

// Info is the untyped description of a [Region], for code that handles
// regions of different types: the request cache, logs and stats.
type Info struct {
	name    string
	typ     reflect.Type
	idType  reflect.Type
	strict  bool
	matchOn []*ParamInfo
}

// An Option configures a [Region] at declaration.
type Option func(*Info)

// Strict makes a region check its parameter invalidations at declaration
// time instead of falling back to the conservative default.
//
// By default, an invalidation that matches on a parameter which a cached
// method of the region does not declare removes every entry of that method,
// since none of them can be proven fresh. In a strict region, params lists
// every parameter that invalidations of the region match on: declaring a
// cached method that does not provide each of them, as an argument or derived
// from its result, panics, and an invalidation that matches on any other
// parameter returns an error and removes nothing.
func Strict(params ...Parameter) Option {
	return func(in *Info) {
		in.strict = true
		for _, p := range params {
			in.matchOn = append(in.matchOn, p.Info())
		}
	}
}

var declared = struct {
	sync.Mutex
	byType map[reflect.Type]*Info
	byName map[string]*Info
}{byType: map[reflect.Type]*Info{}, byName: map[string]*Info{}}

// New declares the region for values of type T with IDs of type K, under a
// name used in logs, stats and error messages.
//
// New panics if name is empty, if T already has a region, if another
// region has the same name, if a strict region names a parameter twice, or
// if == on K does not mean the same entity (pointers, time.Time,
// interfaces, and structs or arrays holding them; see NewParam):
// declarations are made at package level, and a mistake in one must stop the
// program at start-up, not surface at the first request.
func New[T any, K comparable](name string, opts ...Option) *Region[T, K] {
	r, err := declare[T, K](name, opts)
	if err != nil {
		panic(err)
	}
	return r
}

func declare[T any, K comparable](name string, opts []Option) (*Region[T, K], error) {
	in := &Info{
		name:   name,
		typ:    reflect.TypeFor[T](),
		idType: reflect.TypeFor[K](),
	}
	for _, opt := range opts {
		opt(in)
	}
	if name == "" {
		return nil, fmt.Errorf("region: region for %v declared with an empty name", in.typ)
	}
	if p := keytype.Problem(in.idType); p != "" {
		return nil, fmt.Errorf("region: region %q: IDs of type %v cannot identify entities: %s", name, in.idType, p)
	}
	for i, p := range in.matchOn {
		for _, q := range in.matchOn[:i] {
			if p == q {
				return nil, fmt.Errorf("region: region %q: strict parameter %s listed twice", name, p)
			}
		}
	}
	declared.Lock()
	defer declared.Unlock()
	if prev, ok := declared.byType[in.typ]; ok {
		return nil, fmt.Errorf("region: type %v has a region already (%q); cannot declare region %q", in.typ, prev.name, name)
	}
	if prev, ok := declared.byName[name]; ok {
		return nil, fmt.Errorf("region: region name %q is taken by type %v; cannot declare it for %v", name, prev.typ, in.typ)
	}
	declared.byType[in.typ] = in
	declared.byName[name] = in
	return &Region[T, K]{info: in}, nil
}

// Info returns the untyped description of r, or nil if r is nil.
func (r *Region[T, K]) Info() *Info {
	if r == nil {
		return nil
	}
	return r.info
}

// Name returns the name r was declared with.
func (r *Region[T, K]) Name() string { return r.info.name }

// String returns the region's name.
func (r *Region[T, K]) String() string { return r.info.name }

// Tag returns the tag of the entity of r with the given ID. An entry of any
// region that carries the tag depends on that entity, and invalidating the
// ID removes it.
func (r *Region[T, K]) Tag(id K) Tag { return Tag{region: r.info, id: id} }

// Tags returns the tags of the entities of r with the given IDs.
func (r *Region[T, K]) Tags(ids ...K) []Tag {
	tags := make([]Tag, len(ids))
	for i, id := range ids {
		tags[i] = r.Tag(id)
	}
	return tags
}

// Where returns the target that selects the entries of r whose parameters
// match every condition. With no conditions it selects the whole region.
func (r *Region[T, K]) Where(conds ...Cond) Filter {
	return Filter{region: r.info, conds: conds}
}

// Name returns the region's name.
func (in *Info) Name() string { return in.name }

// String returns the region's name.
func (in *Info) String() string { return in.name }

// Type returns the domain type the region holds values about.
func (in *Info) Type() reflect.Type { return in.typ }

// IDType returns the type of the region's unique IDs.
func (in *Info) IDType() reflect.Type { return in.idType }

// Strict reports whether the region was declared with [Strict].
func (in *Info) Strict() bool { return in.strict }

// MatchesOn reports whether a strict region lists p among the parameters its
// invalidations match on. It reports true for every p in a region that is not
// strict.
func (in *Info) MatchesOn(p *ParamInfo) bool {
	if !in.strict {
		return true
	}
	for _, q := range in.matchOn {
		if q == p {
			return true
		}
	}
	return false
}

// StrictParams returns the parameters listed with [Strict], in order.
func (in *Info) StrictParams() []*ParamInfo {
	return append([]*ParamInfo(nil), in.matchOn...)
}
