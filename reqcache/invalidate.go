package reqcache

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/reqcache/reqcache/region"
)

// Invalidate removes, from the cache ctx carries, the entries that the
// targets select, and the entries that depend on them, in one step: no call
// of the cache sees some targets applied and others not. It returns the
// number of entries removed.
//
//   - A region.Tag (Region.Tag) removes every entry whose unique ID it is,
//     in every method of its region, every entry of any region tagged with
//     it, and the errors that methods of its region with IDs from their
//     results store (CacheErrors), which may be about any ID.
//   - A region.Filter (Region.Where) removes the entries of its region whose
//     parameters match all its conditions. A method of the region that does
//     not declare one of the parameters loses all its entries, since none of
//     them can be proven fresh; a strict region returns an error instead.
//     With no conditions, the filter removes the whole region, and every
//     entry of other regions tagged with any ID of it.
//   - region.Everything removes every entry.
//
// A load under way that a target may select is not stored when it ends:
// its callers get its result, and calls that start after Invalidate load
// again. Since the IDs and tags of a load are known only when it ends, a Tag
// drops every load under way.
//
// Inside a transaction (see Begin), the invalidation applies at once and
// again when the transaction commits. Invalidate checks every target before
// it removes anything, and returns an error for a zero or malformed target.
// Without a cache in ctx, or with a closed one, it does nothing.
func Invalidate(ctx context.Context, targets ...region.Target) (int, error) {
	for _, t := range targets {
		if err := validate(t); err != nil {
			return 0, err
		}
	}
	c, _ := lookup(ctx)
	return c.invalidate(ctx, targetsKind(targets), func() string { return describeTargets(targets) }, func() int {
		n := 0
		for _, t := range targets {
			n += c.removeTargetLocked(t)
		}
		return n
	}), nil
}

// removal says why an entry leaves the cache.
type removal uint8

const (
	dropped     removal = iota // its load's result is not kept, or is replaced
	invalidated                // an invalidation selected it, or what it depends on
	evicted                    // it made room
	expired                    // it outlived its method's MaxAge or MaxIdleTime
	reloaded                   // it was stale, and a load replaces it
)

// An invalidation is one call that invalidates: what it reports when it
// ends.
type invalidation struct {
	removed []string // descriptions of the removed entries, if reported
	report  bool
	soft    bool // marks entries stale instead of removing them (see MarkStale)
}

// invalidate runs remove, which removes entries with c.mu held and returns
// how many, as one invalidation of c of the given kind, described by
// describe: it reports it to Options.OnInvalidate and the Observer, and
// records it for a transaction ctx carries.
func (c *Cache) invalidate(ctx context.Context, kind string, describe func() string, remove func() int) int {
	if c.Closed() {
		return 0
	}
	inv := invalidation{report: c.opts.OnInvalidate != nil || c.opts.Observer != nil}
	c.mu.Lock()
	if c.closedLocked() {
		c.mu.Unlock()
		return 0
	}
	c.inv = &inv
	if c.safety != nil {
		c.safety.invalidatingLocked(kind, describe)
	}
	n := remove()
	c.inv = nil
	c.mu.Unlock()
	if c.txs.Load() > 0 {
		c.txInvalidated(ctx, kind, describe, remove)
	}
	if inv.report {
		c.report(ctx, Invalidation{Kind: kind, Target: describe(), Removed: inv.removed, Stale: inv.soft})
	}
	return n
}

// report hands inv to Options.OnInvalidate and Options.Observer.
func (c *Cache) report(ctx context.Context, inv Invalidation) {
	if c.opts.OnInvalidate != nil {
		c.opts.OnInvalidate(inv)
	}
	if c.opts.Observer != nil {
		c.opts.Observer.Invalidated(ctx, inv)
	}
}

// removeLocked takes e, and the entries that depend on it, out of the
// cache, and returns how many it removed.
func (c *Cache) removeLocked(e *entryBase, why removal) int {
	if e.removed {
		return 0
	}
	e.removed = true
	e.self.unpublishLocked()
	c.unlinkLocked(e)
	c.unindexLocked(e)
	e.unlinkUsesLocked()
	c.countLocked(e, why)
	n := 1
	var buf [4]*entryBase
	for _, d := range e.takeDependentsLocked(buf[:0]) {
		n += c.removeLocked(d, why)
	}
	return n
}

// countLocked counts e, removed or marked stale for why: in its method's
// counts, in the report of the invalidation under way, and for the safety
// nets.
func (c *Cache) countLocked(e *entryBase, why removal) {
	if c.safety != nil && why != reloaded {
		c.safety.removedLocked(e, why)
	}
	switch why {
	case invalidated:
		e.ms.invalid++
		if inv := c.inv; inv != nil && inv.report {
			inv.removed = append(inv.removed, e.self.String())
		}
	case evicted:
		e.ms.rareLocked().evicted++
	case expired:
		e.ms.rareLocked().expired++
	}
}

// removeAllLocked removes every entry of ms, or marks them stale in a soft
// invalidation.
func (c *Cache) removeAllLocked(ms *mstate) int {
	if c.inv != nil && c.inv.soft {
		return c.markAllStaleLocked(ms)
	}
	n := 0
	for ms.head != nil {
		n += c.removeLocked(ms.head, invalidated)
	}
	return n
}

// removeInflightLocked removes every load under way.
func (c *Cache) removeInflightLocked() int {
	n := 0
	for _, e := range c.inflight { // removeLocked leaves c.inflight as it is: loads leave it when they settle
		n += c.selectedLocked(e)
	}
	return n
}

// removeKeyLocked removes the entries under the index key k.
func (c *Cache) removeKeyLocked(k indexKey) int {
	var buf [8]*entryBase
	n := 0
	for _, e := range c.entriesLocked(k, buf[:0]) {
		n += c.selectedLocked(e)
	}
	return n
}

// removeTargetLocked removes the entries t selects.
func (c *Cache) removeTargetLocked(t region.Target) int {
	switch t := t.(type) {
	case region.Tag:
		return c.removeTagLocked(t)
	case region.Filter:
		return c.removeFilterLocked(t)
	}
	n := 0 // region.Everything
	c.eachMethodLocked(func(ms *mstate) { n += c.removeAllLocked(ms) })
	return n
}

// removeTagLocked removes the entries whose ID or tag is t.
func (c *Cache) removeTagLocked(t region.Tag) int {
	c.ensureIndexedLocked()
	n := c.removeKeyLocked(indexKey{kind: kindRef, region: t.Region(), value: t.ID()})
	n += c.removeKeyLocked(indexKey{kind: kindAnyID, region: t.Region()})
	return n + c.removeInflightLocked()
}

// removeFilterLocked removes the entries f selects.
func (c *Cache) removeFilterLocked(f region.Filter) int {
	conds := f.Conds()
	n := 0
	if len(conds) == 0 {
		c.ensureIndexedLocked()
		n += c.removeKeyLocked(indexKey{kind: kindTagged, region: f.Region()})
	}
	c.eachMethodLocked(func(ms *mstate) {
		if ms.m.region != f.Region() {
			return
		}
		pos := make([]int, len(conds))
		for i, cd := range conds {
			pos[i] = ms.m.paramIndex(cd.Param())
			if pos[i] < 0 {
				n += c.removeAllLocked(ms) // the method cannot tell: conservative
				return
			}
		}
		if len(conds) == 0 {
			n += c.removeAllLocked(ms)
			return
		}
		n += c.removeMatchingLocked(ms, conds, pos)
	})
	if len(conds) == 0 {
		n += c.removeInflightTaggedLocked(f.Region())
	}
	return n
}

// removeInflightTaggedLocked removes the loads under way that may be
// tagged with an ID of r: those of other regions, whose tags are known
// only when they end.
func (c *Cache) removeInflightTaggedLocked(r *region.Info) int {
	n := 0
	for _, e := range c.inflight { // removeLocked leaves c.inflight as it is: loads leave it when they settle
		if e.ms.m.region != r {
			n += c.selectedLocked(e)
		}
	}
	return n
}

// removeMatchingLocked removes the entries of ms whose parameter pos[i] has
// the value of conds[i], for every i.
func (c *Cache) removeMatchingLocked(ms *mstate, conds []region.Cond, pos []int) int {
	var candidates []*entryBase
	if args := argsOf(ms.m, conds, pos); args != nil {
		if e := ms.m.find(c, args); e != nil {
			candidates = []*entryBase{e}
		}
	} else {
		c.ensureIndexedLocked()
		i := 0
		for !ms.m.indexed(pos[i]) {
			i++ // some condition is on an indexed parameter: argsOf found no key
		}
		candidates = c.entriesLocked(indexKey{kind: kindParam, ms: ms, i: pos[i], value: conds[i].Value()}, nil)
		candidates = c.entriesLocked(indexKey{kind: kindParam, ms: ms, i: pos[i], value: anyValue{}}, candidates)
	}
	n := 0
	for _, e := range candidates {
		if matches(e, conds, pos, !e.loaded()) {
			n += c.selectedLocked(e)
		}
	}
	for _, e := range c.inflight { // removeLocked leaves c.inflight as it is: loads leave it when they settle
		if e.ms == ms && matches(e, conds, pos, true) {
			n += c.selectedLocked(e)
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
