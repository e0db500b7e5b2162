package gen

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
)

// A regionVar is a package-level variable holding a *region.Region[T, ID].
type regionVar struct {
	name string
	id   types.Type     // the region's ID type
	pkg  *types.Package // the region package, for region.Tag
}

// region looks up the region variable name, for an annotation at pos.
func (p *planner) region(pos token.Position, name string) (*regionVar, error) {
	if name == "" {
		return nil, errorAt(pos, "no region= given")
	}
	v, ok := p.pkg.Types.Scope().Lookup(name).(*types.Var)
	if !ok {
		return nil, errorAt(pos, "region %s does not exist in package %s", name, p.pkg.Types.Name())
	}
	args, regionPkg, ok := instanceOf(v.Type(), regionPath, "Region")
	if !ok {
		return nil, errorAt(pos, "%s is a %s, not a *region.Region", name, p.typ(v.Type()))
	}
	return &regionVar{name: name, id: args.At(1), pkg: regionPkg}, nil
}

// param looks up the parameter variable name, of a *region.Param[T], and
// returns T.
func (p *planner) param(pos token.Position, name string) (types.Type, error) {
	v, ok := p.pkg.Types.Scope().Lookup(name).(*types.Var)
	if !ok {
		return nil, errorAt(pos, "parameter %s does not exist in package %s", name, p.pkg.Types.Name())
	}
	args, _, ok := instanceOf(v.Type(), regionPath, "Param")
	if !ok {
		return nil, errorAt(pos, "%s is a %s, not a *region.Param", name, p.typ(v.Type()))
	}
	return args.At(0), nil
}

// fn looks up the package-level function (or variable of a function type)
// name, and checks that it is a func(in) out. A nil in skips the check of
// the type.
func (p *planner) fn(pos token.Position, key, name string, in, out types.Type) error {
	obj := p.pkg.Types.Scope().Lookup(name)
	if obj == nil {
		return errorAt(pos, "%s=: function %s does not exist in package %s", key, name, p.pkg.Types.Name())
	}
	if _, isType := obj.(*types.TypeName); isType {
		return errorAt(pos, "%s=: %s is a type, not a function", key, name)
	}
	if in == nil {
		return nil
	}
	want := types.NewSignatureType(nil, nil, nil,
		types.NewTuple(types.NewParam(token.NoPos, nil, "", in)),
		types.NewTuple(types.NewParam(token.NoPos, nil, "", out)), false)
	if sig, ok := obj.Type().Underlying().(*types.Signature); !ok || !types.Identical(sig, want) {
		return errorAt(pos, "%s=: %s is a %s; want a %s", key, name, p.typ(obj.Type()), p.typ(want))
	}
	return nil
}

// expr checks an expression of an invalidation: a parameter of m, or
// result, the first result of a write that returns (V, ..., error), or a
// chain of field selections from one (c.ID, result.Customer.ID). It
// returns the expression's type, and its text in the generated method.
func (p *planner) expr(pos token.Position, m *method, src string) (types.Type, string, error) {
	e, err := parser.ParseExpr(src)
	if err != nil {
		return nil, "", errorAt(pos, "%q is not a Go expression", src)
	}
	return p.selection(pos, m, src, e)
}

func (p *planner) selection(pos token.Position, m *method, src string, e ast.Expr) (types.Type, string, error) {
	switch e := e.(type) {
	case *ast.Ident:
		for _, a := range m.params {
			if a.name == e.Name {
				return a.typ, a.name, nil
			}
		}
		if e.Name == "result" && len(m.vals) > 0 {
			return m.sig.Results().At(0).Type(), m.vals[0], nil
		}
		return nil, "", errorAt(pos, "%s names parameter %s, which %s does not have (%s)", src, e.Name, p.qualified(m), m.argNames())
	case *ast.SelectorExpr:
		t, x, err := p.selection(pos, m, src, e.X)
		if err != nil {
			return nil, "", err
		}
		obj, _, _ := types.LookupFieldOrMethod(t, true, p.pkg.Types, e.Sel.Name)
		f, ok := obj.(*types.Var)
		if !ok || !f.IsField() {
			return nil, "", errorAt(pos, "%s: %s has no field %s", src, p.typ(t), e.Sel.Name)
		}
		return f.Type(), x + "." + e.Sel.Name, nil
	}
	return nil, "", errorAt(pos, "%q is neither a parameter nor a field of one", src)
}

// instanceOf returns the type arguments of t, if t is a pointer to an
// instance of the generic type path.name, and the package of that type.
func instanceOf(t types.Type, path, name string) (*types.TypeList, *types.Package, bool) {
	ptr, ok := t.(*types.Pointer)
	if !ok || !isNamed(ptr.Elem(), path, name) {
		return nil, nil, false
	}
	n := types.Unalias(ptr.Elem()).(*types.Named)
	return n.TypeArgs(), n.Obj().Pkg(), n.TypeArgs().Len() > 0
}
