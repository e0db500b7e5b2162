package reqcache

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/maypok86/otter/v2"
	"github.com/reqcache/reqcache/region"
)

// An engine stores the entries of one cached method, for every Cache, in one
// otter cache. Keys of type K hold the key space of the Cache they belong to
// (see Cache.key) and the arguments, so that no Cache ever reads or writes
// another's entries, and the otter cache is never pooled or cleared.
type engine[K comparable, V any] struct {
	m     *method
	store *otter.Cache[K, *entry[K, V]]
	call  func(ctx context.Context, k K) (V, error)
	keys  keyFuncs[K]

	// Functions of the result, from the options.
	ids     []func(V, func(any))
	tags    []func(V) []region.Tag
	rparams []func(V) any
}

// keyFuncs are what an engine needs to know of its key type.
type keyFuncs[K comparable] struct {
	// withSeq returns k in the key space seq.
	withSeq func(k K, seq uint64) K
	// arg returns the i-th argument of k, boxed.
	arg func(k K, i int) any
	// argIs reports whether the i-th argument of k is v.
	argIs func(k K, i int, v any) bool
	// format formats the arguments of k, as in `42, "Smith"`.
	format func(k K) string
}

// An entry is one cached call: its key, and once loaded its value or error.
type entry[K comparable, V any] struct {
	entryBase
	g   *engine[K, V]
	key K
	val V
}

func newEngine[K comparable, V any](d declaration, opts []Option, call func(context.Context, K) (V, error), keys keyFuncs[K]) *engine[K, V] {
	d.result = reflect.TypeFor[V]()
	m, cfg := newMethod(d, opts)
	g := &engine[K, V]{m: m, call: call, keys: keys}
	for _, rf := range cfg.results {
		// newMethod checked that rf takes a V.
		switch rf.kind {
		case resultIDs:
			g.ids = append(g.ids, rf.f.(func(V, func(any))))
		case resultTags:
			g.tags = append(g.tags, rf.f.(func(V) []region.Tag))
		case resultParam:
			g.rparams = append(g.rparams, rf.f.(func(V) any))
		}
	}
	g.store = otter.Must(&otter.Options[K, *entry[K, V]]{})
	return g
}

func (g *engine[K, V]) newEntry(ctx context.Context, k K) *entry[K, V] {
	return g.initEntry(new(entry[K, V]), ctx, k)
}

func (g *engine[K, V]) initEntry(e *entry[K, V], ctx context.Context, k K) *entry[K, V] {
	e.parent, e.g, e.key, e.self = ctx, g, k, e
	return e
}

// An entrySlab hands out the entries of one method in one Cache a few at a
// time, so that a request pays one allocation for its first four entries of
// a method instead of four. A slab stays reachable while any of its entries
// is, which bounds the cost at maxSlab entries per live entry.
type entrySlab[K comparable, V any] struct {
	free  []entry[K, V]
	grow  int
	first [4]entry[K, V]
}

const maxSlab = 16

// allocEntry returns a new entry for k, loaded with ctx, from the slab of s.
// st.mu must be held.
func (g *engine[K, V]) allocEntry(s *mstate, ctx context.Context, k K) *entry[K, V] {
	sl, _ := s.slab.(*entrySlab[K, V])
	if sl == nil {
		sl = &entrySlab[K, V]{grow: 8}
		sl.free = sl.first[:]
		s.slab = sl
	}
	if len(sl.free) == 0 {
		sl.free = make([]entry[K, V], sl.grow)
		sl.grow = min(2*sl.grow, maxSlab)
	}
	e := &sl.free[0]
	sl.free = sl.free[1:]
	return g.initEntry(e, ctx, k)
}

// get returns the value of the call k, from the cache ctx carries if it
// holds it, else by loading it once for every goroutine that asks.
func (g *engine[K, V]) get(ctx context.Context, k K) (V, error) {
	c, fr := lookup(ctx)
	if c.Closed() {
		return g.call(ctx, k)
	}
	k = g.keys.withSeq(k, c.key())
	e, ok := g.store.GetIfPresent(k)
	if ok && fr == nil && e.state.Load() == stateDone {
		e.ms.hits.Add(1)
		return e.val, e.err
	}
	return g.getSlow(ctx, c.state(), fr, k, e)
}

// getSlow is get for a key the cache does not hold loaded, or for a call
// from inside a load. e is the entry get found, or nil.
func (g *engine[K, V]) getSlow(ctx context.Context, st *cacheState, fr frame, k K, e *entry[K, V]) (V, error) {
	for {
		st.mu.Lock()
		if st.closed() {
			st.mu.Unlock()
			return g.call(ctx, k)
		}
		if e == nil || e.removed {
			if cur, ok := g.store.GetIfPresent(k); ok {
				e = cur
			} else if st.full() {
				return g.reject(ctx, st, fr, k)
			} else {
				fresh := g.allocEntry(st.method(g.m), ctx, k)
				g.store.Set(k, fresh)
				g.claim(st, fr, fresh)
				st.mu.Unlock()
				return g.lead(ctx, st, fresh)
			}
		}
		if e.state.Load() == stateDone {
			e.ms.hits.Add(1)
			if fr != nil {
				fr.dependOn(&e.entryBase)
			}
			st.mu.Unlock()
			return e.val, e.err
		}
		if fr != nil && waitsForItself(fr, &e.entryBase) {
			st.mu.Unlock()
			var zero V
			return zero, fmt.Errorf("reqcache: %v called from its own load would wait for itself", e)
		}
		if fr != nil {
			fr.dependOn(&e.entryBase)
		}
		done := e.wait()
		e.ms.misses++
		st.mu.Unlock()
		if testHookWaiting != nil {
			testHookWaiting()
		}
		select {
		case <-done:
		case <-ctx.Done():
			var zero V
			return zero, ctx.Err()
		}
		if e.retry(ctx) {
			e = nil
			continue
		}
		if e.x != nil && e.x.panicked != nil {
			panic(e.x.panicked)
		}
		return e.val, e.err
	}
}

// claim accounts for fresh, just put in the store to be loaded by a call
// from fr, if fr is not nil. st.mu must be held.
func (g *engine[K, V]) claim(st *cacheState, fr frame, fresh *entry[K, V]) {
	s := st.method(g.m)
	st.link(s, &fresh.entryBase)
	st.inflightAdd(&fresh.entryBase)
	s.misses++
	s.loads++
	if fr != nil {
		fr.dependOn(&fresh.entryBase)
	}
}

// reject loads k without storing it, for a full cache. st.mu must be held;
// reject releases it.
func (g *engine[K, V]) reject(ctx context.Context, st *cacheState, fr frame, k K) (V, error) {
	s := st.method(g.m)
	s.misses++
	s.loads++
	s.rejected++
	if fr != nil {
		fr.dependOn(nil)
	}
	st.mu.Unlock()
	return g.call(ctx, k)
}

// lead runs the load of e, which this goroutine claimed, and settles e with
// its outcome. A panic of the function reaches every waiter as a
// *PanicError and is raised again here with its own value; a
// runtime.Goexit makes the waiters load the key themselves.
func (g *engine[K, V]) lead(ctx context.Context, st *cacheState, e *entry[K, V]) (v V, err error) {
	normal, recovered := false, false
	var pe *PanicError
	defer func() {
		if !normal && !recovered {
			st.settleAbnormal(&e.entryBase, nil)
		}
	}()
	var d derived
	func() {
		defer func() {
			if !normal {
				if r := recover(); r != nil {
					pe = newPanicError(r)
				}
			}
		}()
		v, err = g.call(&e.entryBase, e.key)
		d = g.derive(v, err)
		normal = true
	}()
	if !normal {
		recovered = true
		st.settleAbnormal(&e.entryBase, pe)
		panic(pe.Value)
	}

	st.mu.Lock()
	e.val, e.err = v, err
	if err != nil {
		e.ms.errors++
		if isContextErr(err) && ctx.Err() != nil {
			e.more().ownerErr = true
		}
	}
	d.apply(&e.entryBase)
	st.settle(&e.entryBase, d.keep)
	st.mu.Unlock()
	return v, err
}

// derived is what a load's outcome gives its entry besides the value.
type derived struct {
	keep    bool // store the outcome
	refs    []refKey
	rparams []any
}

// derive computes what the outcome of a load gives its entry. It runs user
// functions, so it runs where their panics count as the load's.
func (g *engine[K, V]) derive(v V, err error) derived {
	if err != nil {
		keep := g.m.cacheErr != nil && !isContextErr(err) && g.m.cacheErr(err)
		return derived{keep: keep}
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
				refs = append(refs, refKey{t.Region(), t.ID()})
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

// apply gives e what its load derived. st.mu must be held.
func (d derived) apply(e *entryBase) {
	if d.refs == nil && d.rparams == nil {
		return
	}
	x := e.more()
	x.refs = append(x.refs, d.refs...)
	x.rparams = d.rparams
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func (e *entry[K, V]) base() *entryBase { return &e.entryBase }

func (e *entry[K, V]) unstore() { e.g.store.Invalidate(e.key) }

func (e *entry[K, V]) param(i int) any {
	m := e.g.m
	if i < m.nargs {
		return e.g.keys.arg(e.key, i)
	}
	if e.x == nil || e.x.rparams == nil {
		return anyValue{} // no result: the entry matches every value
	}
	return e.x.rparams[i-m.nargs]
}

func (e *entry[K, V]) paramIs(i int, v any) bool {
	if i < e.g.m.nargs {
		return e.g.keys.argIs(e.key, i, v)
	}
	p := e.param(i)
	return p == anyValue{} || p == v
}

func (e *entry[K, V]) keyRefs(f func(refKey)) {
	for _, i := range e.g.m.idArgs {
		f(refKey{e.g.m.region, e.g.keys.arg(e.key, i)})
	}
}

func (e *entry[K, V]) String() string {
	return e.g.m.name + "(" + e.g.keys.format(e.key) + ")"
}

// testHookWaiting, if set by a test, is called when a call starts to wait
// for another call's load.
var testHookWaiting func()

// anyValue is the parameter value of an entry that has no result to derive
// it from: it matches every value.
type anyValue struct{}
