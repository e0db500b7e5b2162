package gen

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/tools/go/packages"
)

// The import paths of the packages the generated code calls.
const (
	regionPath     = "github.com/reqcache/reqcache/region"
	reqcachePath   = "github.com/reqcache/reqcache/reqcache"
	invalidatePath = "github.com/reqcache/reqcache/invalidate"
)

// A planner decides, method by method, what the generated code does, and
// collects what it declares besides the struct: parameters and key types.
type planner struct {
	pkg      *packages.Package
	cfg      Config
	iface    *types.Named
	im       *imports
	methods  []*method
	decls    []string        // package-level declarations, in order
	names    map[string]bool // package-level names generated so far
	warnings []*Error
}

func newPlanner(pkg *packages.Package, cfg Config, iface *types.Named) *planner {
	return &planner{
		pkg:   pkg,
		cfg:   cfg,
		iface: iface,
		im:    newImports(pkg.Types),
		names: map[string]bool{cfg.Name: true, "New" + cfg.Name: true},
	}
}

// What the generated code does with a method.
type kind int

const (
	passThrough kind = iota // forwards the call
	cached                  // calls a reqcache.FuncN
	batched                 // calls a reqcache.Batch
	write                   // forwards the call, then invalidates
)

// A method is the plan for one method of the interface.
type method struct {
	fn     *types.Func
	sig    *types.Signature
	params []param // every parameter, named for the generated code
	hasCtx bool    // params[0] is a context.Context
	kind   kind
	reason string // why a passThrough is not cached
	found  string // notfound= of a cached (V, bool, error): "cache" or "load"
	note   string // a remark on a cached method

	field     string   // the struct field of a cached or batched method
	fieldType string   // its type
	wrap      string   // the expression that makes it
	getArgs   []string // the arguments of its Get, after ctx

	invalidations []invalidation // of a write
	vals          []string       // the names of a write's results before the error
	errVar        string         // the name of a write's error
}

// A param is a parameter of a method, under the name the generated code
// gives it.
type param struct {
	name string
	typ  types.Type
}

// args returns the parameters after the context.
func (m *method) args() []param {
	if m.hasCtx {
		return m.params[1:]
	}
	return m.params
}

// arg returns the parameter after the context named name.
func (m *method) arg(name string) (param, bool) {
	for _, a := range m.args() {
		if a.name == name {
			return a, true
		}
	}
	return param{}, false
}

// argNames lists the names of the parameters after the context, for error
// messages.
func (m *method) argNames() string {
	var names []string
	for _, a := range m.args() {
		names = append(names, a.name)
	}
	if len(names) == 0 {
		return "it has none besides the context"
	}
	return "it has " + strings.Join(names, ", ")
}

// add plans fn, whose doc comment is doc.
func (p *planner) add(fn *types.Func, doc *ast.CommentGroup) error {
	m := newMethod(fn)
	p.methods = append(p.methods, m)
	a, err := parseAnnotation(p.pkg.Fset, doc)
	if err != nil {
		return err
	}
	if a == nil {
		m.reason = "it has no //reqcache: annotation"
		if reason := m.shape(); m.hasCtx && reason != "" && reason != "it returns only an error" {
			m.reason = reason
		}
		return nil
	}
	switch a.kind {
	case "read":
		return p.read(m, a)
	case "batch":
		return p.batch(m, a)
	default:
		return p.write(m, a)
	}
}

// newMethod names the parameters of fn: by their names in the interface
// where they have one, as ctx for an unnamed context, and a1, a2, ...
// for other unnamed ones.
func newMethod(fn *types.Func) *method {
	sig := fn.Type().(*types.Signature)
	m := &method{fn: fn, sig: sig}
	taken := map[string]bool{}
	for v := range sig.Params().Variables() {
		taken[v.Name()] = true
	}
	for i := range sig.Params().Len() {
		v := sig.Params().At(i)
		name := v.Name()
		switch {
		case i == 0 && isContext(v.Type()) && (name == "" || name == "_"):
			name = fresh("ctx", taken)
			taken[name] = true
		case name == "" || name == "_":
			name = fresh(fmt.Sprintf("a%d", i), taken)
			taken[name] = true
		}
		m.params = append(m.params, param{name, v.Type()})
	}
	m.hasCtx = len(m.params) > 0 && isContext(m.params[0].typ)
	return m
}

// ctx returns the name of the context parameter.
func (m *method) ctx() string { return m.params[0].name }

// shape returns why m cannot be a cached read, or "" if it can.
func (m *method) shape() string {
	res := m.sig.Results()
	switch {
	case !m.hasCtx:
		return "its first parameter is not a context.Context"
	case m.sig.Variadic():
		return "it is variadic"
	case res.Len() == 1 && isError(res.At(0).Type()):
		return "it returns only an error"
	case m.returnsFound():
		return "it returns (V, bool, error), and reqcache caches methods returning (V, error) (notfound=cache or notfound=load adapts it)"
	case res.Len() != 2 || !isError(res.At(1).Type()):
		return "it does not return (V, error)"
	}
	return ""
}

// returnsFound reports whether m returns (V, bool, error), the bool
// saying whether V was found.
func (m *method) returnsFound() bool {
	res := m.sig.Results()
	return res.Len() == 3 && isBool(res.At(1).Type()) && isError(res.At(2).Type())
}

// result returns the V of a method returning (V, error) or (V, bool, error).
func (m *method) result() types.Type { return m.sig.Results().At(0).Type() }

func (p *planner) warn(pos token.Position, format string, args ...any) {
	p.warnings = append(p.warnings, &Error{pos, fmt.Sprintf(format, args...)})
}

// qualified returns the method's name as Iface.Method.
func (p *planner) qualified(m *method) string { return p.cfg.Type + "." + m.fn.Name() }

// declName returns a new package-level name made of the parts, in camel
// case starting in lower case, that the package does not declare.
func (p *planner) declName(parts ...string) string {
	var b strings.Builder
	for i, s := range parts {
		if i == 0 {
			b.WriteString(lowerFirst(s))
		} else {
			b.WriteString(upperFirst(s))
		}
	}
	name := b.String()
	for i := 2; p.names[name] || p.pkg.Types.Scope().Lookup(name) != nil; i++ {
		name = fmt.Sprintf("%s%d", b.String(), i)
	}
	p.names[name] = true
	return name
}

func (p *planner) typ(t types.Type) string { return types.TypeString(t, p.im.qualifier) }

func isContext(t types.Type) bool { return isNamed(t, "context", "Context") }

func isError(t types.Type) bool { return types.Identical(t, types.Universe.Lookup("error").Type()) }

func isBool(t types.Type) bool {
	b, ok := t.(*types.Basic)
	return ok && b.Kind() == types.Bool
}

// isNamed reports whether t is the named (possibly instantiated) type
// path.name.
func isNamed(t types.Type, path, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := n.Obj()
	return obj.Pkg() != nil && obj.Pkg().Path() == path && obj.Name() == name
}

// fresh returns name, or name followed by a number, whichever taken does
// not hold first.
func fresh(name string, taken map[string]bool) string {
	if !taken[name] && !token.IsKeyword(name) {
		return name
	}
	for i := 2; ; i++ {
		if s := fmt.Sprintf("%s%d", name, i); !taken[s] {
			return s
		}
	}
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
