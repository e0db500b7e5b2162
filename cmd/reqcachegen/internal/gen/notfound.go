package gen

import (
	"fmt"
	"strings"
)

// notFound checks notfound=, which adapts a method returning (V, bool,
// error) to the (V, error) that reqcache caches: a V not found becomes
// reqcache.ErrNotFound, stored in the cache (notfound=cache) or loaded again
// at every call (notfound=load), and the generated method turns it back
// into (V, false, nil).
func (p *planner) notFound(m *method, a *annotation) error {
	switch v := a.get("notfound"); {
	case v == "":
		return nil
	case v != "cache" && v != "load":
		return errorAt(a.pos, "notfound=%s: want notfound=cache or notfound=load", v)
	case !m.returnsFound():
		return errorAt(a.pos, "notfound= adapts methods returning (V, bool, error); %s returns %s", p.qualified(m), p.typ(m.sig.Results()))
	default:
		m.found = v
		return nil
	}
}

// loader returns the function a cached method of at most maxArity
// arguments wraps: the method value of next, or for notfound= an adapter.
func (p *planner) loader(m *method, args []string) string {
	if m.found == "" {
		return "next." + m.fn.Name()
	}
	params := make([]string, len(m.params))
	for i, a := range m.params {
		params[i] = a.name + " " + p.typ(a.typ)
	}
	return fmt.Sprintf("func(%s) (%s, error) {\n%s\n}", strings.Join(params, ", "), p.typ(m.result()), p.loaderBody(m, m.ctx(), args))
}

// loaderBody returns the body of an adapter that calls next with ctx and
// args.
func (p *planner) loaderBody(m *method, ctx string, args []string) string {
	call := fmt.Sprintf("next.%s(%s)", m.fn.Name(), strings.Join(append([]string{ctx}, args...), ", "))
	if m.found == "" {
		return "return " + call
	}
	taken := map[string]bool{ctx: true, "next": true}
	for _, a := range args {
		taken[a] = true
	}
	l := locals(taken, "v", "ok", "err")
	v, ok, err := l[0], l[1], l[2]
	return fmt.Sprintf("%s, %s, %s := %s\nif %s == nil && !%s {\n%s = reqcache.ErrNotFound\n}\nreturn %s, %s",
		v, ok, err, call, err, ok, err, v, err)
}

// locals returns names for local variables, made fresh against taken.
func locals(taken map[string]bool, names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fresh(n, taken)
		taken[out[i]] = true
	}
	return out
}
