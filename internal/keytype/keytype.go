// Package keytype tells which types can key a cache: types whose == never
// panics and means "the same value".
package keytype

import (
	"reflect"
	"time"
)

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

var timeType = reflect.TypeFor[time.Time]()

// Problem returns why == on values of t does not mean "the same value", or
// "" if it does: pointers, channels and unsafe pointers compare by
// identity, time.Time by monotonic reading and location too, interfaces may
// hold values that cannot be compared; structs and arrays have the problems
// of what they hold. Floats compare by value, except NaN, which is not
// equal to itself: a key that holds NaN is not equal to itself either, and
// callers must check k != k.
func Problem(t reflect.Type) string {
	if t == timeType {
		return "time.Time compares its monotonic reading and location, not only its instant"
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.UnsafePointer, reflect.Chan:
		return t.String() + " compares by identity, not by the value it points to"
	case reflect.Interface, reflect.Slice, reflect.Map, reflect.Func:
		return t.String() + " may hold values that cannot be compared"
	case reflect.Array:
		if p := Problem(t.Elem()); p != "" {
			return t.String() + " holds " + p
		}
	case reflect.Struct:
		for i := range t.NumField() {
			if p := Problem(t.Field(i).Type); p != "" {
				return t.String() + " field " + t.Field(i).Name + ": " + p
			}
		}
	}
	return ""
}
