package reqcache

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

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
	// fromArgs returns the key of the arguments args in the key space seq,
	// or false if an argument has the wrong type.
	fromArgs func(seq uint64, args []any) (K, bool)
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
	m.find = g.find
	return g
}

// find returns the entry of the call with arguments args in the key space
// seq, or nil.
func (g *engine[K, V]) find(seq uint64, args []any) *entryBase {
	k, ok := g.keys.fromArgs(seq, args)
	if !ok {
		return nil
	}
	if e, ok := g.store.GetIfPresent(k); ok {
		return &e.entryBase
	}
	return nil
}

func (g *engine[K, V]) newEntry(ctx context.Context, k K) *entry[K, V] {
	return g.initEntry(new(entry[K, V]), ctx, k)
}

func (g *engine[K, V]) initEntry(e *entry[K, V], ctx context.Context, k K) *entry[K, V] {
	e.parent, e.g, e.key, e.self = ctx, g, k, e
	return e
}

// An entrySlab hands out the entries of one method in one Cache a few at a
// time: a request pays two allocations for its first six entries of a
// method instead of six. A slab stays reachable while any of its entries is,
// which bounds the cost at maxSlab entries per live entry.
type entrySlab[K comparable, V any] struct {
	es    []entry[K, V]
	next  int // es[next:] are free
	first [2]entry[K, V]
}

const maxSlab = 16

// allocEntry returns a new entry for k, loaded with ctx, from the slab of s.
// st.mu must be held.
func (g *engine[K, V]) allocEntry(s *mstate, ctx context.Context, k K) *entry[K, V] {
	sl, _ := s.slab.(*entrySlab[K, V])
	if sl == nil {
		sl = new(entrySlab[K, V])
		sl.es = sl.first[:]
		s.slab = sl
	}
	if sl.next == len(sl.es) {
		sl.es = make([]entry[K, V], min(2*len(sl.es), maxSlab))
		sl.next = 0
	}
	e := &sl.es[sl.next]
	sl.next++
	return g.initEntry(e, ctx, k)
}

// freeEntry gives back e, the entry allocEntry returned last, unused.
// st.mu must be held.
func (g *engine[K, V]) freeEntry(s *mstate, e *entry[K, V]) {
	sl := s.slab.(*entrySlab[K, V])
	sl.next--
	*e = entry[K, V]{}
}

// hit returns the entry of k if it can answer a call from frame fr without
// a lock: it is loaded, and fr is nil. Otherwise it returns the entry of k,
// if any, as e for getSlow. The Get methods inline it, so that a hit costs
// one call of the store and one copy of the value.
func (g *engine[K, V]) hit(k K, fr frame) (e *entry[K, V], ok bool) {
	e, _ = g.store.GetIfPresent(k)
	if e != nil && fr == nil && e.state.Load() == stateDone {
		e.ms.hits.Add(1)
		return e, true
	}
	return e, false
}

// getSlow returns the value of the call k, in the key space of the cache
// whose state is st, for a call that hit did not answer: it loads it once
// for every goroutine that asks, or waits for the load under way, or takes
// it under the lock for a call from the frame fr. e is the entry hit found,
// or nil.
func (g *engine[K, V]) getSlow(ctx context.Context, st *cacheState, fr frame, k K, e *entry[K, V]) (V, error) {
	for {
		st.mu.Lock()
		if st.closed() {
			st.mu.Unlock()
			return g.call(ctx, k)
		}
		if e == nil || e.removed {
			cur, fresh := g.claim(ctx, st, fr, k)
			if fresh != nil {
				st.mu.Unlock()
				return g.lead(ctx, st, fresh)
			}
			if cur == nil {
				return g.reject(ctx, st, fr, k)
			}
			e = cur
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
		if err := awaitLoad(ctx, done); err != nil {
			var zero V
			return zero, err
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

// claim returns the entry the store holds for k, or, if it holds none,
// stores a new entry for k, to be loaded by the caller, and returns it as
// fresh. fr, if not nil, is the frame of the caller's own load. claim returns
// neither if the cache is full. st.mu must be held.
func (g *engine[K, V]) claim(ctx context.Context, st *cacheState, fr frame, k K) (cur, fresh *entry[K, V]) {
	if st.full() {
		cur, _ = g.store.GetIfPresent(k)
		return cur, nil
	}
	s := st.method(g.m)
	fresh = g.allocEntry(s, ctx, k)
	if cur, stored := g.store.SetIfAbsent(k, fresh); !stored {
		g.freeEntry(s, fresh)
		return cur, nil
	}
	g.loading(st, fr, fresh)
	return nil, fresh
}

// loading accounts for fresh, just put in the store to be loaded by a call
// from fr, if fr is not nil. st.mu must be held.
func (g *engine[K, V]) loading(st *cacheState, fr frame, fresh *entry[K, V]) {
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
func (g *engine[K, V]) lead(ctx context.Context, st *cacheState, e *entry[K, V]) (V, error) {
	returned := false
	defer func() {
		if !returned { // runtime.Goexit: load unwound without a panic
			st.settleAbnormal(&e.entryBase, nil)
		}
	}()
	end := observe(st.c, e.parent, &e.entryBase, 1, func() string { return g.keys.format(e.key) })
	if end != nil {
		defer func() {
			r := LoadResult{Err: e.err, Stored: !e.removed && e.state.Load() == stateDone}
			if e.x != nil {
				r.Exited = e.x.goexit
				if p := e.x.panicked; p != nil {
					r.Panicked, r.Err = true, p
				}
			}
			end(r)
		}()
	}
	var d derived
	pe := g.load(e, &d)
	returned = true
	if pe != nil {
		st.settleAbnormal(&e.entryBase, pe)
		panic(pe.Value)
	}

	st.mu.Lock()
	err := e.err
	if err != nil {
		e.ms.errors++
		e.failedFor(ctx, err)
	}
	d.apply(&e.entryBase)
	st.settle(&e.entryBase, d.keep)
	st.mu.Unlock()
	return e.val, err
}

// observe starts the observation of a load of e with Options.Observer, if
// there is one, and makes the context it returns e's parent. It returns
// the function that ends the observation, or nil.
func observe(c *Cache, ctx context.Context, e *entryBase, keys int, args func() string) func(LoadResult) {
	o := c.opts.Observer
	if o == nil {
		return nil
	}
	start := time.Now()
	ctx, end := o.StartLoad(ctx, Load{Cache: c, Region: e.ms.m.region.Name(), Method: e.ms.m.name, Keys: keys, args: args})
	e.parent = ctx
	return func(r LoadResult) {
		r.Duration = time.Since(start)
		end(r)
	}
}

// load calls the function for e, with e as its context, puts the outcome
// in e, and derives d from it. Readers of e read the outcome only after
// settle marks e done. A panic of the function, or of a function of the
// options, is returned as pe; a runtime.Goexit unwinds through load.
func (g *engine[K, V]) load(e *entry[K, V], d *derived) (pe *PanicError) {
	defer func() {
		if r := recover(); r != nil {
			pe = newPanicError(r)
		}
	}()
	e.val, e.err = g.call(&e.entryBase, e.key)
	*d = g.derive(e.val, e.err)
	return nil
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

// awaitLoad waits until done, the channel of a load, is closed, or ctx
// ends, and then returns ctx's error.
func awaitLoad(ctx context.Context, done <-chan struct{}) error {
	if testHookWaiting != nil {
		testHookWaiting()
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// anyValue is the parameter value of an entry that has no result to derive
// it from: it matches every value.
type anyValue struct{}
