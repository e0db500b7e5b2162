package reqcache

import (
	"context"
	"errors"
)

// derived is what a load's outcome gives its entry besides the value.
type derived struct {
	keep    bool // store the outcome
	noIDs   bool // an error of a method whose IDs come from its results
	refs    []refKey
	rparams []any
}

// derive computes what the outcome of a load gives its entry. It runs user
// functions, so it runs where their panics count as the load's.
func (g *engine[K, V]) derive(v V, err error) derived {
	if err != nil {
		keep := g.m.cacheErr != nil && !isContextErr(err) && g.m.cacheErr(err)
		return derived{keep: keep, noIDs: keep && len(g.ids) > 0}
	}
	if g.noCache != nil && g.noCache(v) {
		return derived{}
	}
	if len(g.ids) == 0 && len(g.tags) == 0 && len(g.rparams) == 0 {
		return derived{keep: true}
	}
	return derived{keep: true, refs: g.resultRefs(v), rparams: g.resultParams(v)}
}

func (g *engine[K, V]) resultRefs(v V) []refKey {
	var refs []refKey
	for _, ids := range g.ids {
		ids(v, func(id any) { refs = append(refs, refKey{g.m.region, id}) })
	}
	for _, tags := range g.tags {
		for _, t := range tags(v) {
			if t.Region() != nil {
				refs = append(refs, tagKey(t))
			}
		}
	}
	return refs
}

func (g *engine[K, V]) resultParams(v V) []any {
	if len(g.rparams) == 0 {
		return nil
	}
	ps := make([]any, len(g.rparams))
	for i, f := range g.rparams {
		ps[i] = f(v)
	}
	return ps
}

// applyLocked gives e what its load derived.
func (d derived) applyLocked(e *entryBase) {
	if d.refs == nil && d.rparams == nil && !d.noIDs {
		return
	}
	x := e.more()
	x.refs = append(x.refs, d.refs...)
	x.rparams = d.rparams
	x.noIDs = d.noIDs
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
