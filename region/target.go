package region

import (
	"fmt"
	"strings"
)

// A Target selects the entries of a request cache that an invalidation
// removes. The targets are [Tag] (by unique ID or tag), [Filter] (by
// parameters, or a whole region) and [Everything].
type Target interface {
	isTarget()
}

// A Tag names one entity: a region and an ID in it. It selects every entry
// whose unique ID is that entity, in any method of the region, and every
// entry of any region tagged with it. Build one with [Region.Tag].
//
// Tags are comparable: equal tags name the same entity.
type Tag struct {
	region *Info
	id     any
}

// Region returns the region of the tagged entity.
func (t Tag) Region() *Info { return t.region }

// ID returns the ID of the tagged entity. Its dynamic type is the region's ID
// type.
func (t Tag) ID() any { return t.id }

// String returns the tag as region:id.
func (t Tag) String() string {
	if t.region == nil {
		return "<zero Tag>"
	}
	return fmt.Sprintf("%s:%v", t.region.name, t.id)
}

func (Tag) isTarget() {}

// A Filter selects the entries of a region whose declared parameters match
// every one of its conditions; with no conditions, the whole region. Build
// one with [Region.Where].
type Filter struct {
	region *Info
	conds  []Cond
}

// Region returns the region the filter selects entries of.
func (f Filter) Region() *Info { return f.region }

// Conds returns the filter's conditions. The caller must not modify them.
func (f Filter) Conds() []Cond { return f.conds }

// Validate reports why the filter cannot select anything: a zero Filter, a
// zero Cond, a parameter given twice, or, in a strict region, a parameter
// the region does not match on.
func (f Filter) Validate() error {
	if f.region == nil {
		return fmt.Errorf("region: zero Filter; build one with Region.Where")
	}
	for i, c := range f.conds {
		if c.param == nil {
			return fmt.Errorf("region: %s.Where: condition %d is a zero Cond; build one with Param.Is", f.region.name, i)
		}
		for _, d := range f.conds[:i] {
			if d.param == c.param {
				return fmt.Errorf("region: %s.Where: parameter %s given twice", f.region.name, c.param)
			}
		}
		if !f.region.MatchesOn(c.param) {
			return fmt.Errorf("region: %s.Where: region is strict and does not match on parameter %s", f.region.name, c.param)
		}
	}
	return nil
}

// String returns the filter as Region(name=value, ...).
func (f Filter) String() string {
	if f.region == nil {
		return "<zero Filter>"
	}
	var b strings.Builder
	b.WriteString(f.region.name)
	b.WriteByte('(')
	for i, c := range f.conds {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.String())
	}
	b.WriteByte(')')
	return b.String()
}

func (Filter) isTarget() {}

type everything struct{}

func (everything) isTarget()      {}
func (everything) String() string { return "everything" }

// Everything is the target that selects every entry of a request cache.
var Everything Target = everything{}
