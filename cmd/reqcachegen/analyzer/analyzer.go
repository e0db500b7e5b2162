// Package analyzer is a vet-style check of reqcache declarations and
// invalidations. It reports:
//
//   - region.NewParam type arguments, and the argument types of
//     reqcache.Cache1, Cache2, Cache3 and the ID types of CacheBatch, whose
//     == does not mean "the same call": pointers, time.Time, interfaces,
//     channels, and structs or arrays holding them, which reqcache refuses
//     at declaration; types that are not comparable; and floats, whose NaN
//     arguments are never cached;
//   - invalidate.Match and Region.Where conditions on a parameter that no
//     cached method of the region declares in the package, which remove
//     every entry of the region's methods instead of the matching ones.
//
// Run it with go vet -vettool=$(which reqcachevet), or reqcachevet ./...
package analyzer

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/reqcache/reqcache/cmd/reqcachegen/internal/keysafe"
)

// The import paths of reqcache's packages.
const (
	regionPath     = "github.com/reqcache/reqcache/region"
	reqcachePath   = "github.com/reqcache/reqcache/reqcache"
	invalidatePath = "github.com/reqcache/reqcache/invalidate"
)

// Analyzer reports unsafe cache keys and invalidations that cannot match.
var Analyzer = &analysis.Analyzer{
	Name:     "reqcachevet",
	Doc:      "report reqcache parameters whose types cannot key a cache, and invalidations by parameters no cached method declares",
	URL:      "https://pkg.go.dev/github.com/reqcache/reqcache/cmd/reqcachegen/analyzer",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// keyArgs lists, for each function of reqcache that declares a cached
// method, the indexes of its type arguments that are argument types, and
// the number of parameters it takes after the region and the function.
var keyArgs = map[string]struct{ typeArgs, params []int }{
	"Cache0":     {},
	"Cache1":     {typeArgs: []int{2}, params: []int{2}},
	"Cache2":     {typeArgs: []int{2, 3}, params: []int{2, 3}},
	"Cache3":     {typeArgs: []int{2, 3, 4}, params: []int{2, 3, 4}},
	"CacheBatch": {typeArgs: []int{1}},
}

func run(pass *analysis.Pass) (any, error) {
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	c := &checker{pass: pass, params: paramNames(pass), regions: map[types.Object]map[string]bool{}}
	var invalidations []*ast.CallExpr
	insp.Preorder([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node) {
		call := n.(*ast.CallExpr)
		fn, targs := callee(pass.TypesInfo, call)
		switch {
		case fn == nil:
		case isFunc(fn, regionPath, "NewParam") && targs.Len() == 1:
			c.checkKey(call, "region.NewParam", "type argument", targs.At(0))
		case fn.Pkg() != nil && fn.Pkg().Path() == reqcachePath && isPkgFunc(fn):
			if k, ok := keyArgs[fn.Name()]; ok && targs != nil {
				c.declaration(call, fn.Name(), targs, k.typeArgs, k.params)
			}
		case isFunc(fn, invalidatePath, "Match") && isPkgFunc(fn):
			invalidations = append(invalidations, call)
		case isWhere(fn):
			invalidations = append(invalidations, call)
		}
	})
	for _, call := range invalidations {
		c.invalidation(call)
	}
	return nil, nil
}

// A checker holds what one pass learned of the package's declarations.
type checker struct {
	pass    *analysis.Pass
	params  map[types.Object]string          // package-level Param variables → name/type key
	regions map[types.Object]map[string]bool // region variable → keys of the parameters its cached methods declare
}

// declaration checks the key types of a call of reqcache.CacheN or
// CacheBatch, and records the parameters it declares for its region.
func (c *checker) declaration(call *ast.CallExpr, name string, targs *types.TypeList, typeArgs, params []int) {
	for i, ti := range typeArgs {
		if ti < targs.Len() {
			what := fmt.Sprintf("argument %d", i+1)
			if name == "CacheBatch" {
				what = "key"
			}
			c.checkKey(call, "reqcache."+name, what, targs.At(ti))
		}
	}
	if len(call.Args) == 0 {
		return
	}
	r := c.object(call.Args[0])
	if r == nil {
		return
	}
	declared := c.regions[r]
	if declared == nil {
		declared = map[string]bool{}
		c.regions[r] = declared
	}
	for _, i := range params {
		if i < len(call.Args) {
			if k := c.paramKey(call.Args[i]); k != "" {
				declared[k] = true
			}
		}
	}
	if len(call.Args) < len(params)+2 {
		return
	}
	for _, opt := range call.Args[len(params)+2:] {
		if o, ok := ast.Unparen(opt).(*ast.CallExpr); ok && len(o.Args) > 0 {
			if fn, _ := callee(c.pass.TypesInfo, o); fn != nil && isFunc(fn, reqcachePath, "ParamFromResult") {
				if k := c.paramKey(o.Args[0]); k != "" {
					declared[k] = true
				}
			}
		}
	}
}

// checkKey reports t if it cannot key a cache.
func (c *checker) checkKey(call *ast.CallExpr, fn, what string, t types.Type) {
	v := keysafe.Check(t)
	qual := types.RelativeTo(c.pass.Pkg)
	switch v.Kind {
	case keysafe.Unsafe:
		c.pass.ReportRangef(call, "%s: %s of type %s cannot key a cache: %s (reqcache refuses it at declaration)", fn, what, types.TypeString(t, qual), v.Reason)
	case keysafe.NotComparable:
		c.pass.ReportRangef(call, "%s: %s of type %s cannot key a cache: %s", fn, what, types.TypeString(t, qual), v.Reason)
	case keysafe.Float:
		c.pass.ReportRangef(call, "%s: %s of type %s: %s", fn, what, types.TypeString(t, qual), v.Reason)
	}
}

// invalidation checks the conditions of a call of invalidate.Match(ctx,
// region, conds...) or region.Where(conds...).
func (c *checker) invalidation(call *ast.CallExpr) {
	var region ast.Expr
	conds := call.Args
	what := "invalidate.Match"
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Where" {
		region, what = sel.X, "Where"
	} else if len(call.Args) >= 2 {
		region, conds = call.Args[1], call.Args[2:]
	} else {
		return
	}
	r := c.object(region)
	declared, ok := c.regions[r]
	if r == nil || !ok || call.Ellipsis.IsValid() {
		return // no cached method of the region in this package: nothing to compare with
	}
	for _, cond := range conds {
		p := isCall(c.pass.TypesInfo, cond)
		if p == nil {
			continue
		}
		if k := c.paramKey(p); k != "" && !declared[k] {
			c.pass.ReportRangef(cond, "%s: no cached method of region %s in this package declares parameter %s, so this removes every entry of the region's methods instead of the matching ones",
				what, r.Name(), types.ExprString(p))
		}
	}
}

// object returns the variable e names, or nil.
func (c *checker) object(e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return c.pass.TypesInfo.Uses[e]
	case *ast.SelectorExpr:
		if _, ok := c.pass.TypesInfo.Uses[e.Sel].(*types.Var); ok && c.pass.TypesInfo.Selections[e] == nil {
			return c.pass.TypesInfo.Uses[e.Sel] // pkg.Var
		}
	}
	return nil
}

// paramKey returns what identifies the parameter e names: its name and
// type where the package declares it with a constant name, as reqcache
// identifies parameters, or else its variable.
func (c *checker) paramKey(e ast.Expr) string {
	obj := c.object(e)
	if obj == nil {
		return ""
	}
	if k, ok := c.params[obj]; ok {
		return k
	}
	return "var " + obj.Pkg().Path() + "." + obj.Name()
}

// paramNames maps the package-level variables declared as
// region.NewParam[T]("name") to "name T".
func paramNames(pass *analysis.Pass) map[types.Object]string {
	names := map[types.Object]string{}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, s := range gd.Specs {
				vs, ok := s.(*ast.ValueSpec)
				if !ok || len(vs.Values) != len(vs.Names) {
					continue
				}
				for i, v := range vs.Values {
					call, ok := ast.Unparen(v).(*ast.CallExpr)
					if !ok || len(call.Args) != 1 {
						continue
					}
					fn, targs := callee(pass.TypesInfo, call)
					tv := pass.TypesInfo.Types[call.Args[0]]
					if fn == nil || !isFunc(fn, regionPath, "NewParam") || targs.Len() != 1 || tv.Value == nil || tv.Value.Kind() != constant.String {
						continue
					}
					names[pass.TypesInfo.Defs[vs.Names[i]]] = constant.StringVal(tv.Value) + " " + types.TypeString(targs.At(0), nil)
				}
			}
		}
	}
	return names
}

// isCall returns P if e is a call P.Is(v) of a region.Param.
func isCall(info *types.Info, e ast.Expr) ast.Expr {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return nil
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Is" {
		return nil
	}
	fn, ok := info.Uses[sel.Sel].(*types.Func)
	if !ok || !isMethodOf(fn, "Param") {
		return nil
	}
	return sel.X
}

// callee returns the function or method a call calls, with its type
// arguments if it is generic.
func callee(info *types.Info, call *ast.CallExpr) (*types.Func, *types.TypeList) {
	fun := ast.Unparen(call.Fun)
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	}
	var id *ast.Ident
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	default:
		return nil, nil
	}
	fn, ok := info.Uses[id].(*types.Func)
	if !ok {
		return nil, nil
	}
	return fn, info.Instances[id].TypeArgs
}

func isFunc(fn *types.Func, path, name string) bool {
	return fn.Pkg() != nil && fn.Pkg().Path() == path && fn.Name() == name
}

func isPkgFunc(fn *types.Func) bool { return fn.Signature().Recv() == nil }

// isWhere reports whether fn is the method Where of region.Region.
func isWhere(fn *types.Func) bool { return fn.Name() == "Where" && isMethodOf(fn, "Region") }

// isMethodOf reports whether fn is a method of the generic type name of
// package region.
func isMethodOf(fn *types.Func, name string) bool {
	recv := fn.Signature().Recv()
	if recv == nil || fn.Pkg() == nil || fn.Pkg().Path() != regionPath {
		return false
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Name() == name
}
