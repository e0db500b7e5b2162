package gen

import (
	"go/ast"
	"go/token"
	"reflect"
	"strings"
	"testing"
)

func TestParseAnnotation(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		kind  string
		kv    []setting
		err   string
	}{
		{"none", []string{"// Get returns a customer."}, "", nil, ""},
		{"read", []string{"// Get returns a customer.", "//", "//reqcache:read region=Customers id=param:id"},
			"read", []setting{{"region", "Customers"}, {"id", "param:id"}}, ""},
		{"sqlc form", []string{"// reqcache:batch region=Customers"}, "batch", []setting{{"region", "Customers"}}, ""},
		{"repeated invalidate", []string{"//reqcache:write invalidate=id:c.ID invalidate=region:Orders"},
			"write", []setting{{"invalidate", "id:c.ID"}, {"invalidate", "region:Orders"}}, ""},
		{"block comment ignored", []string{"/* reqcache:read region=X */"}, "", nil, ""},
		{"mention in text ignored", []string{"// Use a reqcache:read annotation."}, "", nil, ""},
		{"empty", []string{"//reqcache:"}, "", nil, "empty //reqcache: annotation"},
		{"unknown kind", []string{"//reqcache:cache"}, "", nil, "unknown annotation //reqcache:cache"},
		{"empty value", []string{"//reqcache:read region="}, "", nil, `"region=" is not key=value`},
		{"key of another kind", []string{"//reqcache:write params=id:ID"}, "", nil, `//reqcache:write takes no "params"`},
		{"single key twice", []string{"//reqcache:read tags=a tags=b"}, "", nil, "tags= given twice"},
		{"two annotations", []string{"//reqcache:read region=A", "//reqcache:read region=B"}, "", nil, "a second //reqcache: annotation (the first is on line 1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fset := token.NewFileSet()
			f := fset.AddFile("repo.go", -1, 1000)
			doc := &ast.CommentGroup{}
			offset := 0
			for _, l := range tt.lines {
				f.AddLine(offset)
				doc.List = append(doc.List, &ast.Comment{Slash: f.Pos(offset), Text: l})
				offset += len(l) + 1
			}
			a, err := parseAnnotation(fset, doc)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("parseAnnotation(%q) = %v; want error %q", tt.lines, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseAnnotation(%q) = %v", tt.lines, err)
			}
			if tt.kind == "" {
				if a != nil {
					t.Errorf("parseAnnotation(%q) = %+v; want none", tt.lines, a)
				}
				return
			}
			if a == nil || a.kind != tt.kind || !reflect.DeepEqual(a.kv, tt.kv) {
				t.Errorf("parseAnnotation(%q) = %+v; want %s %v", tt.lines, a, tt.kind, tt.kv)
			}
			if a != nil && a.pos.Line != len(tt.lines) {
				t.Errorf("parseAnnotation(%q) at line %d; want %d", tt.lines, a.pos.Line, len(tt.lines))
			}
		})
	}
}
