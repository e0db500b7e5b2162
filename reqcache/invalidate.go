package reqcache

import (
	"context"
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
	kind := targetsKind(targets)
	st := c.used()
	if st == nil || !st.begin() {
		c.observeInvalidation(kind, func() string { return describeTargets(targets) })
		return 0, nil
	}
	st.kind = kind
	n := 0
	for _, t := range targets {
		switch t := t.(type) {
		case region.Tag:
			n += st.removeTag(t)
		case region.Filter:
			n += st.removeFilter(t)
		default: // region.Everything
			st.eachMethod(func(s *mstate) { n += st.removeAllOf(s) })
		}
	}
	st.end(func() string { return describeTargets(targets) })
	return n, nil
}

// InvalidateTags removes the entries that have one of tags as their unique
// ID or as a tag, and the entries that depend on them, in one step, as
// Invalidate does for targets that are tags. Zero tags are ignored. It
// returns the number of entries removed.
func (c *Cache) InvalidateTags(tags ...region.Tag) int {
	describe := func() string {
		parts := make([]string, len(tags))
		for i, t := range tags {
			parts[i] = t.String()
		}
		return strings.Join(parts, ", ")
	}
	st := c.used()
	if st == nil || !st.begin() {
		c.observeInvalidation("id", describe)
		return 0
	}
	st.kind = "id"
	n := 0
	for _, t := range tags {
		if t.Region() != nil {
			n += st.removeTag(t)
		}
	}
	st.end(describe)
	return n
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

// begin locks st for an invalidation, and prepares its report if
// Options.OnInvalidate is set. It reports false, with st unlocked, if the
// cache is closed.
func (st *cacheState) begin() bool {
	st.mu.Lock()
	if st.closed() {
		st.mu.Unlock()
		return false
	}
	if st.c.opts.OnInvalidate != nil || st.c.opts.Observer != nil {
		st.report = new([]string)
	}
	return true
}

// end ends the invalidation that begin began: it unlocks st and reports
// the removed entries to Options.OnInvalidate, with the target that target
// describes.
func (st *cacheState) end(target func() string) {
	report, kind := st.report, st.kind
	st.report = nil
	st.mu.Unlock()
	if report != nil {
		st.c.report(Invalidation{Kind: kind, Target: target(), Removed: *report})
	}
}

// observeInvalidation reports an invalidation that found nothing to remove.
func (c *Cache) observeInvalidation(kind string, target func() string) {
	if c == nil || (c.opts.OnInvalidate == nil && c.opts.Observer == nil) {
		return
	}
	c.report(Invalidation{Kind: kind, Target: target()})
}

// report hands inv to Options.OnInvalidate and Options.Observer.
func (c *Cache) report(inv Invalidation) {
	if c.opts.OnInvalidate != nil {
		c.opts.OnInvalidate(inv)
	}
	if c.opts.Observer != nil {
		c.opts.Observer.Invalidated(context.Background(), inv)
	}
}

// targetsKind returns the Invalidation.Kind of targets.
func targetsKind(targets []region.Target) string {
	kind := ""
	for _, t := range targets {
		k := "all"
		switch t := t.(type) {
		case region.Tag:
			k = "id"
		case region.Filter:
			k = "match"
			if len(t.Conds()) == 0 {
				k = "region"
			}
		}
		if kind != "" && kind != k {
			return "targets"
		}
		kind = k
	}
	return kind
}

// remove takes e, and the entries that depend on it, out of the cache. If
// invalidated is set, it counts them as invalidated and returns how many
// they are. st.mu must be held.
func (st *cacheState) remove(e *entryBase, invalidated bool) int {
	if e.removed {
		return 0
	}
	e.removed = true
	e.self.unstore()
	st.unlink(e)
	st.unindex(e)
	n := 0
	if invalidated {
		n = 1
		e.ms.invalidated++
		if st.report != nil {
			*st.report = append(*st.report, e.self.String())
		}
	}
	if e.x != nil {
		deps := e.x.dependents
		e.x.dependents = nil
		for _, d := range deps {
			n += st.remove(d, invalidated)
		}
	}
	return n
}

// removeAllOf removes every entry of s. st.mu must be held.
func (st *cacheState) removeAllOf(s *mstate) int {
	n := 0
	for s.head != nil {
		n += st.remove(s.head, true)
	}
	return n
}

// removeInflight removes every load under way. st.mu must be held.
func (st *cacheState) removeInflight() int {
	n := 0
	for _, e := range st.inflight {
		n += st.remove(e, true)
	}
	return n
}

// removeTag removes the entries whose ID or tag is t. st.mu must be held.
func (st *cacheState) removeTag(t region.Tag) int {
	st.ensureIndexed()
	var buf [4]*entryBase
	n := 0
	for _, e := range st.refs[tagKey(t)].entries(buf[:0]) {
		n += st.remove(e, true)
	}
	return n + st.removeInflight()
}

// removeFilter removes the entries f selects. st.mu must be held.
func (st *cacheState) removeFilter(f region.Filter) int {
	conds := f.Conds()
	n := 0
	st.eachMethod(func(s *mstate) {
		if s.m.region != f.Region() {
			return
		}
		pos := make([]int, len(conds))
		for i, cd := range conds {
			pos[i] = s.m.paramIndex(cd.Param())
			if pos[i] < 0 {
				n += st.removeAllOf(s) // the method cannot tell: conservative
				return
			}
		}
		if len(conds) == 0 {
			n += st.removeAllOf(s)
			return
		}
		n += st.removeMatching(s, conds, pos)
	})
	return n
}

// removeMatching removes the entries of s whose parameter pos[i] has the
// value of conds[i], for every i. st.mu must be held.
func (st *cacheState) removeMatching(s *mstate, conds []region.Cond, pos []int) int {
	n := 0
	var candidates []*entryBase
	if args := argsOf(s.m, conds, pos); args != nil {
		if e := s.m.find(st.c.key(), args); e != nil {
			candidates = []*entryBase{e}
		}
	} else {
		st.ensureIndexed()
		i := 0
		for !s.m.indexed(pos[i]) {
			i++ // some condition is on an indexed parameter: argsOf found no key
		}
		candidates = st.params[paramKey{s, pos[i], conds[i].Value()}].entries(nil)
		candidates = st.params[paramKey{s, pos[i], anyValue{}}].entries(candidates)
	}
	for _, e := range candidates {
		if matches(e, conds, pos, e.state.Load() != stateDone) {
			n += st.remove(e, true)
		}
	}
	for _, e := range st.inflight {
		if e.ms == s && matches(e, conds, pos, true) {
			n += st.remove(e, true)
		}
	}
	return n
}

// argsOf returns the arguments of m that conds give, in order, or nil
// unless they give every one.
func argsOf(m *method, conds []region.Cond, pos []int) []any {
	given := 0
	for _, p := range pos {
		if p < m.nargs {
			given++
		}
	}
	if m.nargs == 0 || given < m.nargs {
		return nil
	}
	args := make([]any, m.nargs)
	for i, cd := range conds {
		if pos[i] < m.nargs {
			args[pos[i]] = cd.Value()
		}
	}
	return args
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
