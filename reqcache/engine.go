package reqcache

import (
	"context"
	"reflect"

	"github.com/maypok86/otter/v2"
	"github.com/reqcache/reqcache/region"
)

// An engine runs one cached method for every Cache: its declaration, its
// function, what entries take from their results, and the method's shared
// store for the entries that do not fit a Cache's table (see table.go).
type engine[K key[K], V any] struct {
	m     *method
	call  func(ctx context.Context, k K) (V, error)
	store *otter.Cache[spaced[K], *entry[K, V]]

	// Functions of the result, from the options.
	ids     []func(V, func(any))
	tags    []func(V) []region.Tag
	rparams []func(V) any
	equal   func(V, V) bool // verify mode's comparison, or nil
	noCache func(V) bool    // NoCacheIf, or nil
}

func newEngine[K key[K], V any](d declaration, opts []Option, call func(context.Context, K) (V, error)) *engine[K, V] {
	d.result = reflect.TypeFor[V]()
	m, cfg := newMethod(d, opts)
	g := &engine[K, V]{m: m, call: call}
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
	if cfg.noCache != nil {
		g.noCache = cfg.noCache.(func(V) bool) // newMethod checked the type
	}
	if cfg.equal != nil {
		g.equal = cfg.equal.(func(V, V) bool) // newMethod checked the type
	}
	g.store = otter.Must(&otter.Options[spaced[K], *entry[K, V]]{})
	m.find = g.findArgs
	return g
}

// findArgs returns the entry of the call with arguments args in c, or nil.
// c.mu must be held.
func (g *engine[K, V]) findArgs(c *Cache, args []any) *entryBase {
	var zero K
	k, ok := zero.fromArgs(args)
	if !ok {
		return nil
	}
	if t := g.table(c); t != nil {
		if e := t.find(k); e != nil {
			return &e.entryBase
		}
	}
	return nil
}
