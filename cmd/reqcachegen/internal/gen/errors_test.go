package gen

import (
	"errors"
	"go/ast"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestGenerate_Errors generates each interface of testdata/errors, whose
// doc comment says `want "message"`, and checks that Generate refuses it
// with that message at the line of its last //reqcache: annotation.
func TestGenerate_Errors(t *testing.T) {
	cfg := Config{Dir: filepath.Join("testdata", "errors"), Type: "-"}
	pkg, err := load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range pkg.Syntax {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE || gd.Doc == nil {
				continue
			}
			spec := gd.Specs[0].(*ast.TypeSpec)
			want, line := wantOf(t, pkg.Fset, gd)
			if want == "" {
				continue
			}
			n++
			t.Run(spec.Name.Name, func(t *testing.T) {
				_, err := generate(pkg, Config{Dir: cfg.Dir, Type: spec.Name.Name})
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("Generate(%s) = %v; want an *Error", spec.Name.Name, err)
				}
				if !strings.Contains(e.Msg, want) || e.Pos.Line != line {
					t.Errorf("Generate(%s) = %v; want line %d: ...%s...", spec.Name.Name, err, line, want)
				}
				if !strings.HasPrefix(err.Error(), e.Pos.Filename+":"+strconv.Itoa(line)+":") {
					t.Errorf("Generate(%s) = %q; want it to start with file:line", spec.Name.Name, err)
				}
			})
		}
	}
	if n < 20 {
		t.Errorf("found %d cases in testdata/errors; want 20 or more", n)
	}
}

// wantOf returns the message a type's doc comment wants, and the line of
// the last annotation in the type.
func wantOf(t *testing.T, fset *token.FileSet, gd *ast.GenDecl) (string, int) {
	t.Helper()
	text := strings.TrimSpace(gd.Doc.Text())
	q, ok := strings.CutPrefix(text, "want ")
	if !ok {
		return "", 0
	}
	want, err := strconv.Unquote(q)
	if err != nil {
		t.Fatalf("%s: %v", fset.Position(gd.Pos()), err)
	}
	line := 0
	ast.Inspect(gd, func(n ast.Node) bool {
		if c, ok := n.(*ast.Comment); ok && strings.HasPrefix(c.Text, "//reqcache:") {
			line = fset.Position(c.Pos()).Line
		}
		return true
	})
	return want, line
}

// TestGenerate_NoInterface checks the errors for a type that is missing or
// not an interface.
func TestGenerate_NoInterface(t *testing.T) {
	dir := filepath.Join("testdata", "errors")
	pkg, err := load(Config{Dir: dir, Type: "-"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ typ, want string }{
		{"Nothing", "reqcachegen: no type Nothing in package"},
		{"Customer", "reqcachegen: Customer is not an interface type"},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			_, err := generate(pkg, Config{Dir: dir, Type: tt.typ})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Generate(%s) = %v; want %q", tt.typ, err, tt.want)
			}
		})
	}
}

// TestGenerate_TypeErrors checks that errors in the package stop the
// generation only if they are in the interface's types.
func TestGenerate_TypeErrors(t *testing.T) {
	dir := filepath.Join("testdata", "badtypes")
	pkg, err := load(Config{Dir: dir, Type: "-"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := generate(pkg, Config{Dir: dir, Type: "Fine"}); err != nil {
		t.Errorf("Generate(Fine) = %v; want the unrelated errors tolerated", err)
	}
	_, err = generate(pkg, Config{Dir: dir, Type: "Repo"})
	if want := "the types of Get do not type-check"; err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "undefined: Missing") {
		t.Errorf("Generate(Repo) = %v; want %q, listing undefined: Missing", err, want)
	}
}
