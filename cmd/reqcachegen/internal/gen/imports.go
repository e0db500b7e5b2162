package gen

import (
	"fmt"
	"go/types"
	"path"
	"sort"
	"strings"
)

// imports names the packages the generated code refers to. The packages it
// calls keep their own names (context, reqcache, region, invalidate); any
// other package with one of those names, or with the name of another, or of
// a package-level identifier, is imported under a numbered name.
type imports struct {
	self  *types.Package
	names map[string]string // import path → name in the generated file
	pkgs  map[string]string // import path → package name
	taken map[string]string // name → import path, or the package's own path
}

func newImports(self *types.Package) *imports {
	im := &imports{
		self:  self,
		names: map[string]string{},
		pkgs:  map[string]string{},
		taken: map[string]string{},
	}
	for name, path := range map[string]string{
		"context":    "context",
		"reqcache":   reqcachePath,
		"region":     regionPath,
		"invalidate": invalidatePath,
	} {
		im.taken[name] = path
	}
	for _, name := range self.Scope().Names() {
		if _, ok := im.taken[name]; !ok {
			im.taken[name] = self.Path()
		}
	}
	return im
}

// name returns the name under which the generated file imports path, and
// records that it does.
func (im *imports) name(path string) string {
	if n, ok := im.names[path]; ok {
		return n
	}
	base := im.pkgName(path)
	name := base
	for i := 2; im.taken[name] != "" && im.taken[name] != path; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	im.taken[name], im.names[path] = path, name
	return name
}

// qualifier is a types.Qualifier for the generated file.
func (im *imports) qualifier(p *types.Package) string {
	if p == im.self {
		return ""
	}
	im.pkgs[p.Path()] = p.Name()
	return im.name(p.Path())
}

// pkgName returns the name of the package path: the one its types gave,
// or the last element of the path.
func (im *imports) pkgName(p string) string {
	if n, ok := im.pkgs[p]; ok {
		return n
	}
	return path.Base(p)
}

// block returns the import declaration, standard library first, sorted
// by path, with a name where it differs from the package's; or "" if the
// file imports nothing.
func (im *imports) block() string {
	var std, other []string
	for p := range im.names {
		line := fmt.Sprintf("%q", p)
		if n := im.names[p]; n != im.pkgName(p) {
			line = n + " " + line
		}
		if first, _, _ := strings.Cut(p, "/"); strings.Contains(first, ".") {
			other = append(other, line)
		} else {
			std = append(std, line)
		}
	}
	sort.Strings(std)
	sort.Strings(other)
	groups := make([]string, 0, 2)
	for _, g := range [][]string{std, other} {
		if len(g) > 0 {
			groups = append(groups, strings.Join(g, "\n"))
		}
	}
	if len(groups) == 0 {
		return ""
	}
	return "import (\n" + strings.Join(groups, "\n\n") + "\n)\n\n"
}
