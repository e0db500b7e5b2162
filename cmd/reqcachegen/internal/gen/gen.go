// Package gen writes the cached implementation of a repository interface:
// a struct that wraps each annotated read method in a cached method of the
// request cache, makes each annotated write method invalidate what it
// changed after it succeeded, and forwards every other method.
package gen

import (
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
)

// Config says what to generate.
type Config struct {
	// Dir is the directory of the package that declares the interface.
	// The zero value is the current directory.
	Dir string
	// Type is the name of the interface.
	Type string
	// Output is the name of the generated file, relative to Dir. Its
	// current contents are ignored when the package is loaded, so that a
	// stale output does not stop its regeneration. The zero value is the
	// interface's name in lower case followed by "_reqcache.go".
	Output string
	// Name is the name of the generated struct. The zero value is "Cached"
	// followed by the interface's name; the constructor is "New" followed
	// by Name.
	Name string
}

// Result is what Generate produces: the source of the output file, and
// warnings, with their positions, about annotated methods it could not
// cache.
type Result struct {
	Source   []byte
	Warnings []*Error
}

// OutputPath returns the path of the file cfg writes.
func (cfg Config) OutputPath() string {
	out := cfg.Output
	if out == "" {
		out = strings.ToLower(cfg.Type) + "_reqcache.go"
	}
	if filepath.IsAbs(out) {
		return out
	}
	return filepath.Join(cfg.Dir, out)
}

// Generate loads the package in cfg.Dir and returns the gofmt'ed source of
// the cached implementation of the interface cfg.Type. A mistake in an
// annotation is an *Error, with the position of the annotation.
func Generate(cfg Config) (*Result, error) {
	if cfg.Type == "" {
		return nil, errors.New("reqcachegen: no interface type given")
	}
	pkg, err := load(cfg)
	if err != nil {
		return nil, err
	}
	return generate(pkg, cfg)
}

// generate is Generate for a loaded package.
func generate(pkg *packages.Package, cfg Config) (*Result, error) {
	if cfg.Name == "" {
		cfg.Name = "Cached" + cfg.Type
	}
	iface, err := findInterface(pkg, cfg.Type)
	if err != nil {
		return nil, err
	}
	if err := checkTypes(pkg, iface.Underlying().(*types.Interface)); err != nil {
		return nil, err
	}
	p := newPlanner(pkg, cfg, iface)
	docs := methodDocs(pkg.Syntax)
	for _, fn := range sortedMethods(pkg.Fset, iface.Underlying().(*types.Interface)) {
		if err := p.add(fn, docs[fn.Pos()]); err != nil {
			return nil, err
		}
	}
	src := render(p)
	out, err := format.Source(src)
	if err != nil {
		return nil, fmt.Errorf("reqcachegen: generated code does not parse (a bug): %v\n%s", err, src)
	}
	return &Result{Source: out, Warnings: p.warnings}, nil
}

// load loads the package in cfg.Dir, with the output file replaced by its
// package clause alone. It tolerates errors in the package, such as uses of
// the identifiers the output file is about to declare; Generate checks that
// the types it needs are sound.
func load(cfg Config) (*packages.Package, error) {
	pc := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax |
			packages.NeedTypes | packages.NeedTypesInfo | packages.NeedImports,
		Dir: cfg.Dir,
	}
	out, err := filepath.Abs(cfg.OutputPath())
	if err != nil {
		return nil, err
	}
	if f, err := parser.ParseFile(token.NewFileSet(), out, nil, parser.PackageClauseOnly); err == nil {
		pc.Overlay = map[string][]byte{out: []byte("package " + f.Name.Name + "\n")}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("reqcachegen: %v", err)
	}
	pkgs, err := packages.Load(pc, ".")
	if err != nil {
		return nil, fmt.Errorf("reqcachegen: %v", err)
	}
	if len(pkgs) != 1 {
		return nil, fmt.Errorf("reqcachegen: %d packages in %s; want 1", len(pkgs), cfg.Dir)
	}
	pkg := pkgs[0]
	if pkg.Types == nil || len(pkg.Syntax) == 0 {
		return nil, fmt.Errorf("reqcachegen: cannot load the package in %s:\n%s", cfg.Dir, errorList(pkg))
	}
	return pkg, nil
}

func errorList(pkg *packages.Package) string {
	msgs := make([]string, len(pkg.Errors))
	for i, e := range pkg.Errors {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// checkTypes returns the errors of pkg if a method of iface has a type
// that did not type-check. Other errors, such as uses of what the generator
// is about to write, do not matter.
func checkTypes(pkg *packages.Package, iface *types.Interface) error {
	for m := range iface.Methods() {
		if !validType(m.Type(), map[types.Type]bool{}) {
			return fmt.Errorf("reqcachegen: the types of %s do not type-check:\n%s", m.Name(), errorList(pkg))
		}
	}
	return nil
}

// validType reports whether t holds no invalid type.
func validType(t types.Type, seen map[types.Type]bool) bool {
	if seen[t] {
		return true
	}
	seen[t] = true
	switch t := t.(type) {
	case *types.Basic:
		return t.Kind() != types.Invalid
	case *types.Named, *types.TypeParam:
		return true // declared types are checked where they are declared
	case *types.Alias:
		return validType(types.Unalias(t), seen)
	case *types.Pointer:
		return validType(t.Elem(), seen)
	case *types.Slice:
		return validType(t.Elem(), seen)
	case *types.Array:
		return validType(t.Elem(), seen)
	case *types.Chan:
		return validType(t.Elem(), seen)
	case *types.Map:
		return validType(t.Key(), seen) && validType(t.Elem(), seen)
	case *types.Signature:
		return validType(t.Params(), seen) && validType(t.Results(), seen)
	case *types.Tuple:
		for v := range t.Variables() {
			if !validType(v.Type(), seen) {
				return false
			}
		}
	case *types.Struct:
		for f := range t.Fields() {
			if !validType(f.Type(), seen) {
				return false
			}
		}
	}
	return true
}

// findInterface returns the named, non-generic interface type name.
func findInterface(pkg *packages.Package, name string) (*types.Named, error) {
	obj, ok := pkg.Types.Scope().Lookup(name).(*types.TypeName)
	if !ok {
		return nil, fmt.Errorf("reqcachegen: no type %s in package %s", name, pkg.PkgPath)
	}
	named, ok := types.Unalias(obj.Type()).(*types.Named)
	if !ok || !types.IsInterface(named) {
		return nil, fmt.Errorf("%s: reqcachegen: %s is not an interface type", pkg.Fset.Position(obj.Pos()), name)
	}
	if named.TypeParams().Len() > 0 {
		return nil, fmt.Errorf("%s: reqcachegen: %s is generic; only non-generic interfaces can be wrapped", pkg.Fset.Position(obj.Pos()), name)
	}
	return named, nil
}

// methodDocs maps the position of each interface method's name, in files,
// to its doc comment.
func methodDocs(files []*ast.File) map[token.Pos]*ast.CommentGroup {
	docs := map[token.Pos]*ast.CommentGroup{}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			it, ok := n.(*ast.InterfaceType)
			if !ok {
				return true
			}
			for _, m := range it.Methods.List {
				for _, id := range m.Names {
					docs[id.Pos()] = m.Doc
				}
			}
			return true
		})
	}
	return docs
}

// sortedMethods returns the methods of it in the order of their source:
// file by file, line by line.
func sortedMethods(fset *token.FileSet, it *types.Interface) []*types.Func {
	ms := make([]*types.Func, it.NumMethods())
	for i := range ms {
		ms[i] = it.Method(i)
	}
	sort.SliceStable(ms, func(i, j int) bool {
		a, b := fset.Position(ms[i].Pos()), fset.Position(ms[j].Pos())
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Offset < b.Offset
	})
	return ms
}
