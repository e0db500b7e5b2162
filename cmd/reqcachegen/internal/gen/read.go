package gen

import (
	"fmt"
	"go/types"
	"strconv"
	"strings"

	"github.com/reqcache/reqcache/cmd/reqcachegen/internal/keysafe"
)

// maxArity is the largest number of arguments a cached method of reqcache
// takes (Cache3); methods with more are cached through a generated key
// struct.
const maxArity = 3

// read plans a method annotated //reqcache:read: a cached method of the
// annotation's region, whose arguments are the parameters that params=
// maps them to, or generated ones.
func (p *planner) read(m *method, a *annotation) error {
	r, err := p.region(a.pos, a.get("region"))
	if err != nil {
		return err
	}
	mapped, err := p.mappedParams(m, a)
	if err != nil {
		return err
	}
	idArg, err := p.idParam(m, a, r)
	if err != nil {
		return err
	}
	if err := p.resultFuncsExist(a); err != nil {
		return err
	}
	if err := p.notFound(m, a); err != nil {
		return err
	}
	if reason := p.uncacheable(m); reason != "" {
		m.reason = reason
		p.warn(a.pos, "%s is annotated //reqcache:read, but is passed through uncached: %s", p.qualified(m), reason)
		return nil
	}
	opts, err := p.resultOptions(m, a, r, m.result())
	if err != nil {
		return err
	}
	args := m.args()
	if len(args) > maxArity && (len(mapped) > 0 || idArg != "") {
		return errorAt(a.pos, "%s has %d arguments besides the context, which reqcachegen keys with one generated parameter: params= and id=param: need 3 or fewer (take the ID from the result with id=result:)", p.qualified(m), len(args))
	}
	m.kind = cached
	m.field = p.field(m)
	if len(args) > maxArity {
		p.wide(m, r, opts)
	} else {
		p.narrow(m, r, mapped, idArg, opts)
	}
	return nil
}

// narrow plans a cached method of at most maxArity arguments, each of
// which is the parameter params= maps it to, or a generated one.
func (p *planner) narrow(m *method, r *regionVar, mapped map[string]string, idArg string, opts []string) {
	args := m.args()
	pvars := make([]string, len(args))
	for i, arg := range args {
		pvars[i] = mapped[arg.name]
		if pvars[i] == "" {
			pvars[i] = p.genParam(m, arg)
		}
		m.getArgs = append(m.getArgs, arg.name)
	}
	if idArg != "" {
		opts = append([]string{fmt.Sprintf("reqcache.IDFromParam(%s)", pvars[argIndex(args, idArg)])}, opts...)
	}
	typeArgs := make([]string, 0, len(args)+1)
	for _, arg := range args {
		typeArgs = append(typeArgs, p.typ(arg.typ))
	}
	typeArgs = append(typeArgs, p.typ(m.result()))
	m.fieldType = fmt.Sprintf("*%s.Func%d[%s]", p.im.name(reqcachePath), len(args), strings.Join(typeArgs, ", "))
	m.wrap = fmt.Sprintf("reqcache.Cache%d(%s, %s", len(args), r.name, p.loader(m, m.argNamesList()))
	for _, v := range pvars {
		m.wrap += ", " + v
	}
	m.wrap += joinOpts(opts) + ")"
}

// wide plans a cached method of more than maxArity arguments: they become
// the fields of a generated comparable struct, the one parameter of an
// adapter that Cache1 wraps.
func (p *planner) wide(m *method, r *regionVar, opts []string) {
	args := m.args()
	key := p.declName(p.cfg.Type, m.fn.Name(), "Args")
	pv := p.declName(p.cfg.Type, m.fn.Name(), "Args", "Param")
	var fields, sel []string
	for _, arg := range args {
		fields = append(fields, fmt.Sprintf("%s %s", arg.name, p.typ(arg.typ)))
		sel = append(sel, "k."+arg.name)
	}
	p.decls = append(p.decls,
		fmt.Sprintf("%stype %s struct {\n%s\n}",
			commentText(fmt.Sprintf("%s is the key of the calls of %s: its arguments after the context.", key, p.qualified(m))),
			key, strings.Join(fields, "\n")),
		fmt.Sprintf("%svar %s = %s.NewParam[%s](%q)",
			commentText(fmt.Sprintf("%s is the one parameter of the cached %s, whose arguments it holds.", pv, p.qualified(m))),
			pv, p.im.name(regionPath), key, p.qualified(m)+".args"))
	m.getArgs = []string{key + "{" + strings.Join(m.argNamesList(), ", ") + "}"}
	m.fieldType = fmt.Sprintf("*%s.Func1[%s, %s]", p.im.name(reqcachePath), key, p.typ(m.result()))
	m.wrap = fmt.Sprintf("reqcache.Cache1(%s, func(ctx %s, k %s) (%s, error) {\n%s\n}, %s%s)",
		r.name, p.typ(m.params[0].typ), key, p.typ(m.result()), p.loaderBody(m, "ctx", sel), pv, joinOpts(opts))
}

func (m *method) argNamesList() []string {
	var names []string
	for _, a := range m.args() {
		names = append(names, a.name)
	}
	return names
}

// mappedParams checks params=arg:Param,... and returns the parameter
// variable of each argument it names.
func (p *planner) mappedParams(m *method, a *annotation) (map[string]string, error) {
	mapped := map[string]string{}
	s := a.get("params")
	if s == "" {
		return mapped, nil
	}
	used := map[string]string{}
	for _, pair := range strings.Split(s, ",") {
		argName, pv, ok := strings.Cut(pair, ":")
		if !ok || argName == "" || pv == "" {
			return nil, errorAt(a.pos, "params=: %q is not argument:Param", pair)
		}
		arg, ok := m.arg(argName)
		if !ok {
			return nil, errorAt(a.pos, "params= names parameter %s, which %s does not have (%s)", argName, p.qualified(m), m.argNames())
		}
		if _, dup := mapped[argName]; dup {
			return nil, errorAt(a.pos, "params= maps %s twice", argName)
		}
		if other, dup := used[pv]; dup {
			return nil, errorAt(a.pos, "params= declares %s for both %s and %s", pv, other, argName)
		}
		t, err := p.param(a.pos, pv)
		if err != nil {
			return nil, err
		}
		if !types.Identical(t, arg.typ) {
			return nil, errorAt(a.pos, "params=: %s is a parameter of type %s, but argument %s is a %s", pv, p.typ(t), argName, p.typ(arg.typ))
		}
		mapped[argName], used[pv] = pv, argName
	}
	return mapped, nil
}

// idParam checks id=param:arg and returns arg, or "".
func (p *planner) idParam(m *method, a *annotation, r *regionVar) (string, error) {
	argName, ok := strings.CutPrefix(a.get("id"), "param:")
	if !ok {
		return "", nil
	}
	arg, ok := m.arg(argName)
	if !ok {
		return "", errorAt(a.pos, "id=param: names parameter %s, which %s does not have (%s)", argName, p.qualified(m), m.argNames())
	}
	if !types.Identical(arg.typ, r.id) {
		return "", errorAt(a.pos, "id=param:%s is a %s, but region %s has IDs of type %s", argName, p.typ(arg.typ), r.name, p.typ(r.id))
	}
	return argName, nil
}

// resultFuncsExist checks that the functions the annotation names exist,
// before their types can be checked against the method's result.
func (p *planner) resultFuncsExist(a *annotation) error {
	for _, s := range a.kv {
		var name string
		switch s.key {
		case "id", "ids":
			var ok bool
			if name, ok = strings.CutPrefix(s.value, "result:"); !ok {
				if s.key == "id" && strings.HasPrefix(s.value, "param:") {
					continue
				}
				return errorAt(a.pos, "%s=%s: want %sresult:func", s.key, s.value, map[bool]string{true: "param:argument or "}[s.key == "id"])
			}
		case "tags":
			name = s.value
		case "fromresult":
			pv, f, ok := strings.Cut(s.value, ":")
			if !ok {
				return errorAt(a.pos, "fromresult=%s: want Param:func", s.value)
			}
			if _, err := p.param(a.pos, pv); err != nil {
				return err
			}
			name = f
		default:
			continue
		}
		if err := p.fn(a.pos, s.key, name, nil, nil); err != nil {
			return err
		}
	}
	return nil
}

// resultOptions returns the options that take something from the result
// v of m, and the method's name, checking the types of the functions.
func (p *planner) resultOptions(m *method, a *annotation, r *regionVar, v types.Type) ([]string, error) {
	var opts []string
	for _, s := range a.kv {
		switch s.key {
		case "id", "ids":
			f, ok := strings.CutPrefix(s.value, "result:")
			if !ok {
				continue
			}
			out, opt := r.id, "IDFromResult"
			if s.key == "ids" {
				out, opt = types.NewSlice(r.id), "IDsFromResult"
			}
			if err := p.fn(a.pos, s.key, f, v, out); err != nil {
				return nil, err
			}
			opts = append(opts, fmt.Sprintf("reqcache.%s(%s)", opt, f))
		case "tags":
			tag := r.pkg.Scope().Lookup("Tag").Type()
			if err := p.fn(a.pos, s.key, s.value, v, types.NewSlice(tag)); err != nil {
				return nil, err
			}
			opts = append(opts, fmt.Sprintf("reqcache.TagsFromResult(%s)", s.value))
		case "fromresult":
			pv, f, _ := strings.Cut(s.value, ":")
			t, _ := p.param(a.pos, pv)
			if err := p.fn(a.pos, s.key, f, v, t); err != nil {
				return nil, err
			}
			opts = append(opts, fmt.Sprintf("reqcache.ParamFromResult(%s, %s)", pv, f))
		}
	}
	if m.found == "cache" {
		opts = append(opts, fmt.Sprintf("reqcache.CacheErrors(func(err error) bool { return %s.Is(err, reqcache.ErrNotFound) })", p.im.name("errors")))
	}
	name := a.get("name")
	if name == "" {
		name = p.qualified(m)
	}
	return append(opts, "reqcache.Name("+strconv.Quote(name)+")"), nil
}

// uncacheable returns why m cannot be a cached method, or "": its shape,
// or an argument whose type cannot key a cache. A float argument is noted
// on the method.
func (p *planner) uncacheable(m *method) string {
	if reason := m.shape(); reason != "" && !(m.found != "" && m.returnsFound()) {
		return reason
	}
	for _, arg := range m.args() {
		v := keysafe.Check(arg.typ)
		switch v.Kind {
		case keysafe.Unsafe, keysafe.NotComparable:
			return fmt.Sprintf("argument %s of type %s cannot key a cache: %s", arg.name, p.typ(arg.typ), v.Reason)
		case keysafe.Float:
			m.note += fmt.Sprintf("Argument %s: %s. ", arg.name, v.Reason)
		}
	}
	return ""
}

// genParam declares a parameter for an argument that params= does not map.
func (p *planner) genParam(m *method, arg param) string {
	name := p.declName(p.cfg.Type, m.fn.Name(), arg.name, "Param")
	p.decls = append(p.decls, fmt.Sprintf("%svar %s = %s.NewParam[%s](%q)",
		commentText(fmt.Sprintf("%s is argument %s of %s.", name, arg.name, p.qualified(m))), name, p.im.name(regionPath), p.typ(arg.typ), p.qualified(m)+"."+arg.name))
	return name
}

// field returns the name of the struct field of a cached method.
func (p *planner) field(m *method) string {
	taken := map[string]bool{"next": true}
	for _, o := range p.methods {
		if o.field != "" {
			taken[o.field] = true
		}
	}
	return fresh(lowerFirst(m.fn.Name()), taken)
}

func argIndex(args []param, name string) int {
	for i, a := range args {
		if a.name == name {
			return i
		}
	}
	return -1
}

func joinOpts(opts []string) string {
	if len(opts) == 0 {
		return ""
	}
	return ", " + strings.Join(opts, ", ")
}
