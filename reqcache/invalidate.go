package reqcache

import (
	"errors"
	"fmt"
	"strings"

	"github.com/reqcache/reqcache/region"
)

// Invalidate removes the entries that the targets select, and the entries
// that depend on them, in one step: no call of the cache sees some targets
// applied and others not. It returns the number of entries removed.
//
//   - A region.Tag (Region.Tag) removes every entry whose unique ID it is,
//     in every method of its region, and every entry of any region tagged
//     with it.
//   - A region.Filter (Region.Where) removes the entries of its region whose
//     parameters match all its conditions. A method of the region that does
//     not declare one of the parameters loses all its entries, since none of
//     them can be proven fresh; a strict region returns an error instead.
//     With no conditions, the filter removes the whole region.
//   - region.Everything removes every entry.
//
// A load under way that a target may select is not stored when it ends:
// its callers get its result, and calls that start after Invalidate load
// again. Since the IDs and tags of a load are known only when it ends, a Tag
// drops every load under way.
//
// Invalidate checks every target before it removes anything, and returns an
// error for a zero or malformed target. On a nil or closed Cache it does
// nothing.
func (c *Cache) Invalidate(targets ...region.Target) (int, error) {
	for _, t := range targets {
		if err := validate(t); err != nil {
			return 0, err
		}
	}
	if c.Closed() {
		return 0, nil
	}
	return c.invalidating(func() string { return describeTargets(targets) }, func() int {
		n := 0
		for _, t := range targets {
			switch t := t.(type) {
			case region.Tag:
				n += c.removeTag(t)
			case region.Filter:
				n += c.removeFilter(t)
			default: // region.Everything
				c.eachState(func(s *mstate) { n += c.removeAllOf(s) })
			}
		}
		return n
	}), nil
}

func validate(t region.Target) error {
	switch t := t.(type) {
	case nil:
		return errors.New("reqcache: nil Target")
	case region.Tag:
		if t.Region() == nil {
			return errors.New("reqcache: zero region.Tag; build one with Region.Tag")
		}
	case region.Filter:
		if err := t.Validate(); err != nil {
			return fmt.Errorf("reqcache: %w", err)
		}
	}
	return nil
}

func describeTargets(targets []region.Target) string {
	parts := make([]string, len(targets))
	for i, t := range targets {
		parts[i] = fmt.Sprint(t)
	}
	return strings.Join(parts, ", ")
}

// invalidating runs remove, which removes entries and returns how many,
// with c.mu held, and reports it to Options.OnInvalidate.
func (c *Cache) invalidating(target func() string, remove func() int) int {
	var removed []string
	c.mu.Lock()
	if c.closed.Load() {
		c.mu.Unlock()
		return 0
	}
	hook := c.opts.OnInvalidate
	if hook != nil {
		c.report = &removed
	}
	n := remove()
	c.report = nil
	c.mu.Unlock()
	if hook != nil {
		hook(Invalidation{Target: target(), Removed: removed})
	}
	return n
}

// remove takes e, and the entries that depend on it, out of the cache. It
// counts them as invalidated if invalidated is set, and always counts the
// dependents. It returns the number counted. c.mu must be held.
func (c *Cache) remove(e *entryBase, invalidated bool) int {
	if e.removed {
		return 0
	}
	e.removed = true
	e.self.unstore()
	c.unlink(e)
	c.unindex(e)
	n := 0
	if invalidated {
		n = 1
		e.ms.invalidated++
		if c.report != nil {
			*c.report = append(*c.report, e.self.String())
		}
	}
	if e.x != nil {
		deps := e.x.dependents
		e.x.dependents = nil
		for _, d := range deps {
			n += c.remove(d, true)
		}
	}
	return n
}

// removeAllOf removes every entry of s. c.mu must be held.
func (c *Cache) removeAllOf(s *mstate) int {
	n := 0
	for s.head != nil {
		n += c.remove(s.head, true)
	}
	return n
}

// removeInflight removes every load under way. c.mu must be held.
func (c *Cache) removeInflight() int {
	n := 0
	for e := c.inflight; e != nil; e = e.inext {
		n += c.remove(e, true)
	}
	return n
}

// removeTag removes the entries whose ID or tag is t. c.mu must be held.
func (c *Cache) removeTag(t region.Tag) int {
	c.ensureIndexed()
	n := 0
	for _, e := range c.refs[refKey{t.Region(), t.ID()}].entries() {
		n += c.remove(e, true)
	}
	return n + c.removeInflight()
}

// removeFilter removes the entries f selects. c.mu must be held.
func (c *Cache) removeFilter(f region.Filter) int {
	conds := f.Conds()
	n := 0
	c.eachState(func(s *mstate) {
		if s.m.region != f.Region() {
			return
		}
		pos := make([]int, len(conds))
		for i, cd := range conds {
			pos[i] = s.m.paramIndex(cd.Param())
			if pos[i] < 0 {
				n += c.removeAllOf(s) // the method cannot tell: conservative
				return
			}
		}
		if len(conds) == 0 {
			n += c.removeAllOf(s)
			return
		}
		n += c.removeMatching(s, conds, pos)
	})
	return n
}

// removeMatching removes the entries of s whose parameter pos[i] has the
// value of conds[i], for every i. c.mu must be held.
func (c *Cache) removeMatching(s *mstate, conds []region.Cond, pos []int) int {
	c.ensureIndexed()
	var candidates []*entryBase
	if s.params != nil {
		idx := s.params[pos[0]]
		candidates = append(idx[conds[0].Value()].entries(), idx[anyValue{}].entries()...)
	}
	n := 0
	for _, e := range candidates {
		if matches(e, conds, pos, false) {
			n += c.remove(e, true)
		}
	}
	for e := c.inflight; e != nil; e = e.inext {
		if e.ms == s && matches(e, conds, pos, true) {
			n += c.remove(e, true)
		}
	}
	return n
}

// matches reports whether the parameters of e match the conditions. For a
// load under way, a parameter derived from the result is not known yet, and
// matches.
func matches(e *entryBase, conds []region.Cond, pos []int, loading bool) bool {
	for i, cd := range conds {
		if loading && pos[i] >= e.ms.m.nargs {
			continue
		}
		if !e.self.paramIs(pos[i], cd.Value()) {
			return false
		}
	}
	return true
}
