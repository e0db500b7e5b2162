package gen

import (
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strings"
)

// An annotation is a //reqcache: line of a method's doc comment, parsed
// into its kind and its key=value settings, which are checked against the
// method and the package later.
type annotation struct {
	kind string         // "read", "batch" or "write"
	pos  token.Position // of the comment line
	kv   []setting
}

// A setting is one key=value of an annotation. Keys may repeat
// (invalidate=... invalidate=...).
type setting struct {
	key, value string
}

// keys lists the settings each kind of annotation takes.
var keys = map[string][]string{
	"read":  {"region", "params", "id", "ids", "tags", "fromresult", "name", "notfound"},
	"batch": {"region", "tags", "fromresult", "name"},
	"write": {"region", "invalidate"},
}

// single lists the keys that may be given once only.
var single = map[string]bool{"region": true, "params": true, "id": true, "ids": true, "tags": true, "name": true, "notfound": true}

// parseAnnotation returns the annotation of a doc comment, or nil if it has
// none. It accepts "//reqcache:" and "// reqcache:", the form sqlc writes
// for a "-- reqcache:" line of a query's comment.
func parseAnnotation(fset *token.FileSet, doc *ast.CommentGroup) (*annotation, error) {
	if doc == nil {
		return nil, nil
	}
	var found *annotation
	for _, c := range doc.List {
		text, ok := strings.CutPrefix(c.Text, "//")
		if !ok {
			continue
		}
		text, ok = strings.CutPrefix(strings.TrimSpace(text), "reqcache:")
		if !ok {
			continue
		}
		pos := fset.Position(c.Slash)
		if found != nil {
			return nil, errorAt(pos, "a second //reqcache: annotation (the first is on line %d)", found.pos.Line)
		}
		a, err := parseLine(pos, text)
		if err != nil {
			return nil, err
		}
		found = a
	}
	return found, nil
}

// parseLine parses the text after "reqcache:".
func parseLine(pos token.Position, text string) (*annotation, error) {
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return nil, errorAt(pos, "empty //reqcache: annotation")
	}
	a := &annotation{kind: fields[0], pos: pos}
	allowed, ok := keys[a.kind]
	if !ok {
		return nil, errorAt(pos, "unknown annotation //reqcache:%s (want read, batch or write)", a.kind)
	}
	seen := map[string]bool{}
	for _, f := range fields[1:] {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k == "" || v == "" {
			return nil, errorAt(pos, "%q is not key=value", f)
		}
		if !slices.Contains(allowed, k) {
			return nil, errorAt(pos, "//reqcache:%s takes no %q (it takes %s)", a.kind, k, strings.Join(allowed, ", "))
		}
		if seen[k] && single[k] {
			return nil, errorAt(pos, "%s= given twice", k)
		}
		seen[k] = true
		a.kv = append(a.kv, setting{k, v})
	}
	return a, nil
}

// get returns the value of key, or "".
func (a *annotation) get(key string) string {
	for _, s := range a.kv {
		if s.key == key {
			return s.value
		}
	}
	return ""
}

// all returns every value of key, in order.
func (a *annotation) all(key string) []string {
	var vs []string
	for _, s := range a.kv {
		if s.key == key {
			vs = append(vs, s.value)
		}
	}
	return vs
}

// An Error is a mistake in the input, at a position of a source file.
type Error struct {
	Pos token.Position
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: reqcachegen: %s", e.Pos, e.Msg) }

func errorAt(pos token.Position, format string, args ...any) error {
	return &Error{pos, fmt.Sprintf(format, args...)}
}
