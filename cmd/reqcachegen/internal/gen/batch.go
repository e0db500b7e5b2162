package gen

import (
	"fmt"
	"go/types"

	"github.com/reqcache/reqcache/cmd/reqcachegen/internal/keysafe"
)

// batch plans a method annotated //reqcache:batch: a func(ctx, []ID)
// (map[ID]V, error) of the region, cached per ID with CacheBatch.
func (p *planner) batch(m *method, a *annotation) error {
	r, err := p.region(a.pos, a.get("region"))
	if err != nil {
		return err
	}
	if err := p.resultFuncsExist(a); err != nil {
		return err
	}
	res := m.sig.Results()
	idSlice := types.NewSlice(r.id)
	var mp *types.Map
	if res.Len() == 2 {
		mp, _ = res.At(0).Type().Underlying().(*types.Map)
	}
	if !m.hasCtx || m.sig.Variadic() || len(m.args()) != 1 || !types.Identical(m.args()[0].typ, idSlice) ||
		mp == nil || !types.Identical(mp.Key(), r.id) || !isError(res.At(1).Type()) {
		return errorAt(a.pos, "//reqcache:batch of region %s needs a func(context.Context, %s) (map[%s]V, error); %s is a %s",
			r.name, p.typ(idSlice), p.typ(r.id), p.qualified(m), p.typ(m.sig))
	}
	if v := keysafe.Check(r.id); v.Kind == keysafe.Unsafe || v.Kind == keysafe.NotComparable {
		m.reason = fmt.Sprintf("the IDs of region %s, of type %s, cannot key a cache: %s", r.name, p.typ(r.id), v.Reason)
		p.warn(a.pos, "%s is annotated //reqcache:batch, but is passed through uncached: %s", p.qualified(m), m.reason)
		return nil
	}
	opts, err := p.resultOptions(m, a, r, mp.Elem())
	if err != nil {
		return err
	}
	m.kind = batched
	m.field = p.field(m)
	m.getArgs = []string{m.args()[0].name}
	m.fieldType = fmt.Sprintf("*%s.Batch[%s, %s]", p.im.name(reqcachePath), p.typ(r.id), p.typ(mp.Elem()))
	m.wrap = fmt.Sprintf("reqcache.CacheBatch(%s, next.%s%s)", r.name, m.fn.Name(), joinOpts(opts))
	return nil
}
