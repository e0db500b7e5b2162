// Package keytype tells which types can key a map without a run-time panic.
package keytype

import "reflect"

// Safe reports whether every value of t is hashable, so that using one as a
// map key (or in an otter key) can never panic. Comparable types that
// contain an interface are not safe: the dynamic value may be a slice, a map
// or a func.
func Safe(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Interface, reflect.Slice, reflect.Map, reflect.Func:
		return false
	case reflect.Array:
		return Safe(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if !Safe(t.Field(i).Type) {
				return false
			}
		}
	}
	return true
}
