// Package keysafe tells whether the values of a type can key a request
// cache: whether == on them means "the same call", as the core of reqcache
// requires of a declared parameter.
package keysafe

import (
	"fmt"
	"go/types"
)

// A Kind is the verdict on a key type.
type Kind int

const (
	// Safe types key a cache: == means the same call.
	Safe Kind = iota
	// Float types key a cache, but a NaN argument never equals itself, so a
	// call with one is never a hit.
	Float
	// Unsafe types are comparable, but == does not mean the same call:
	// pointers, time.Time, interfaces, channels, and structs or arrays
	// holding them. The core refuses them at declaration.
	Unsafe
	// NotComparable types cannot key a map at all: slices, maps, funcs and
	// structs or arrays holding them.
	NotComparable
)

// A Verdict is what Check finds about a type: its Kind, and for any Kind
// but Safe, the reason, naming the part of the type at fault.
type Verdict struct {
	Kind   Kind
	Reason string
}

// Check returns the verdict on t as the type of a cache key's argument.
// The reason names the part of t at fault, as in "field At is a time.Time,
// whose == compares locations and monotonic clock readings".
func Check(t types.Type) Verdict {
	return check(t, "", map[types.Type]bool{})
}

func check(t types.Type, path string, seen map[types.Type]bool) Verdict {
	if seen[t] {
		return Verdict{}
	}
	seen[t] = true
	if isTime(t) {
		return verdict(Unsafe, path, "is a time.Time, whose == also compares locations and monotonic clock readings")
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Kind() == types.UnsafePointer:
			return verdict(Unsafe, path, "is an unsafe.Pointer, whose == compares addresses")
		case u.Info()&(types.IsFloat|types.IsComplex) != 0:
			return verdict(Float, path, fmt.Sprintf("is a %s: a NaN argument never equals itself, so calls with one are never cached", u))
		}
	case *types.Pointer:
		return verdict(Unsafe, path, "is a pointer, whose == compares addresses, not the values they point to")
	case *types.Interface:
		if _, ok := t.(*types.TypeParam); ok {
			return Verdict{}
		}
		return verdict(Unsafe, path, "is an interface, whose dynamic values may be pointers or not comparable at all")
	case *types.Chan:
		return verdict(Unsafe, path, "is a channel, whose == compares identities")
	case *types.Slice, *types.Map, *types.Signature:
		return verdict(NotComparable, path, "is not comparable")
	case *types.Array:
		return check(u.Elem(), join(path, "element"), seen)
	case *types.Struct:
		worst := Verdict{}
		for f := range u.Fields() {
			v := check(f.Type(), join(path, "field "+f.Name()), seen)
			if v.Kind > worst.Kind {
				worst = v
			}
		}
		return worst
	}
	return Verdict{}
}

func isTime(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := n.Obj()
	return obj.Pkg() != nil && obj.Pkg().Path() == "time" && obj.Name() == "Time"
}

func verdict(k Kind, path, what string) Verdict {
	if path == "" {
		return Verdict{k, "it " + what}
	}
	return Verdict{k, "its " + path + " " + what}
}

func join(path, part string) string {
	if path == "" {
		return part
	}
	return path + "'s " + part
}
