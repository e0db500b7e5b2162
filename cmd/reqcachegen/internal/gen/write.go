package gen

import (
	"fmt"
	"go/types"
	"strings"
)

// An invalidation is one statement a write method runs after the write
// succeeded. fails says it returns an error (invalidate.Match).
type invalidation struct {
	call  string
	fails bool
}

// write plans a method annotated //reqcache:write: it forwards the call,
// and when the call returns a nil error, runs the invalidations of the
// annotation's invalidate= settings, or invalidates its region= if it has
// none.
func (p *planner) write(m *method, a *annotation) error {
	res := m.sig.Results()
	if !m.hasCtx || res.Len() == 0 || !isError(res.At(res.Len()-1).Type()) {
		return errorAt(a.pos, "//reqcache:write needs a method whose first parameter is a context.Context and whose last result is an error; %s is a %s", p.qualified(m), p.typ(m.sig))
	}
	m.resultNames()
	var def *regionVar
	if name := a.get("region"); name != "" {
		r, err := p.region(a.pos, name)
		if err != nil {
			return err
		}
		def = r
	}
	specs := a.all("invalidate")
	if len(specs) == 0 {
		if def == nil {
			return errorAt(a.pos, "//reqcache:write needs invalidate= or region=")
		}
		specs = []string{"region:" + def.name}
	}
	for _, s := range specs {
		inv, err := p.invalidation(m, a, def, s)
		if err != nil {
			return err
		}
		m.invalidations = append(m.invalidations, inv)
	}
	m.kind = write
	return nil
}

// invalidation parses one invalidate= setting:
//
//	id:[Region:]expr           invalidate.ID(ctx, Region, expr) (expr... for a slice of IDs)
//	match:[Region:]P=expr&...  invalidate.Match(ctx, Region, P.Is(expr), ...)
//	region:Region              invalidate.Region(ctx, Region)
//	all                        invalidate.All(ctx)
//
// A Region left out is the annotation's region=.
func (p *planner) invalidation(m *method, a *annotation, def *regionVar, spec string) (invalidation, error) {
	kind, rest, _ := strings.Cut(spec, ":")
	switch kind {
	case "all":
		if rest != "" {
			return invalidation{}, errorAt(a.pos, "invalidate=all takes nothing after it")
		}
		return invalidation{call: fmt.Sprintf("invalidate.All(%s)", m.ctx())}, nil
	case "region":
		r, err := p.region(a.pos, rest)
		if err != nil {
			return invalidation{}, err
		}
		return invalidation{call: fmt.Sprintf("invalidate.Region(%s, %s)", m.ctx(), r.name)}, nil
	case "id", "match":
		r, rest, err := p.targetRegion(a, def, spec, kind, rest)
		if err != nil {
			return invalidation{}, err
		}
		if kind == "id" {
			return p.invalidateID(m, a, r, rest)
		}
		return p.invalidateMatch(m, a, r, rest)
	}
	return invalidation{}, errorAt(a.pos, "invalidate=%s: want id:, match:, region: or all", spec)
}

// targetRegion splits an optional Region: off rest.
func (p *planner) targetRegion(a *annotation, def *regionVar, spec, kind, rest string) (*regionVar, string, error) {
	if name, after, ok := strings.Cut(rest, ":"); ok {
		r, err := p.region(a.pos, name)
		return r, after, err
	}
	if def == nil {
		return nil, "", errorAt(a.pos, "invalidate=%s names no region: give region= or %s:Region:...", spec, kind)
	}
	return def, rest, nil
}

func (p *planner) invalidateID(m *method, a *annotation, r *regionVar, src string) (invalidation, error) {
	t, x, err := p.expr(a.pos, m, src)
	if err != nil {
		return invalidation{}, err
	}
	switch {
	case types.AssignableTo(t, r.id):
		return invalidation{call: fmt.Sprintf("invalidate.ID(%s, %s, %s)", m.ctx(), r.name, x)}, nil
	case isSliceOf(t, r.id):
		return invalidation{call: fmt.Sprintf("invalidate.ID(%s, %s, %s...)", m.ctx(), r.name, x)}, nil
	}
	return invalidation{}, errorAt(a.pos, "invalidate=id: %s is a %s, but region %s has IDs of type %s", src, p.typ(t), r.name, p.typ(r.id))
}

func (p *planner) invalidateMatch(m *method, a *annotation, r *regionVar, conds string) (invalidation, error) {
	var args []string
	for _, c := range strings.Split(conds, "&") {
		pv, src, ok := strings.Cut(c, "=")
		if !ok || pv == "" || src == "" {
			return invalidation{}, errorAt(a.pos, "invalidate=match: %q is not Param=expr", c)
		}
		want, err := p.param(a.pos, pv)
		if err != nil {
			return invalidation{}, err
		}
		t, x, err := p.expr(a.pos, m, src)
		if err != nil {
			return invalidation{}, err
		}
		if !types.AssignableTo(t, want) {
			return invalidation{}, errorAt(a.pos, "invalidate=match: %s is a %s, but %s is a parameter of type %s", src, p.typ(t), pv, p.typ(want))
		}
		args = append(args, fmt.Sprintf("%s.Is(%s)", pv, x))
	}
	return invalidation{call: fmt.Sprintf("invalidate.Match(%s, %s, %s)", m.ctx(), r.name, strings.Join(args, ", ")), fails: true}, nil
}

func isSliceOf(t, elem types.Type) bool {
	s, ok := t.Underlying().(*types.Slice)
	return ok && types.Identical(s.Elem(), elem)
}

// resultNames names the local variables of a write method's body: one per
// result before the error, and the error.
func (m *method) resultNames() {
	taken := map[string]bool{}
	for _, a := range m.params {
		taken[a.name] = true
	}
	n := m.sig.Results().Len()
	for i := 0; i < n-1; i++ {
		v := fmt.Sprintf("v%d", i)
		if n == 2 {
			v = "v"
		}
		v = fresh(v, taken)
		taken[v] = true
		m.vals = append(m.vals, v)
	}
	m.errVar = fresh("err", taken)
}
