package keytype

import (
	"reflect"
	"testing"
	"time"
	"unsafe"
)

func TestSafe(t *testing.T) {
	type flat struct {
		A int64
		B string
		C [2]bool
	}
	type nested struct {
		F flat
		P *int
	}
	type withIface struct{ V any }
	type arrIface [1]error
	tests := []struct {
		typ  reflect.Type
		want bool
	}{
		{reflect.TypeFor[int64](), true},
		{reflect.TypeFor[string](), true},
		{reflect.TypeFor[*int](), true},
		{reflect.TypeFor[chan int](), true},
		{reflect.TypeFor[flat](), true},
		{reflect.TypeFor[nested](), true},
		{reflect.TypeFor[[3]string](), true},
		{reflect.TypeFor[any](), false},
		{reflect.TypeFor[error](), false},
		{reflect.TypeFor[withIface](), false},
		{reflect.TypeFor[arrIface](), false},
		{reflect.TypeFor[[]int](), false},
	}
	for _, tt := range tests {
		t.Run(tt.typ.String(), func(t *testing.T) {
			if got := Safe(tt.typ); got != tt.want {
				t.Errorf("Safe(%v) = %v; want %v", tt.typ, got, tt.want)
			}
		})
	}
}

func TestProblem(t *testing.T) {
	type flat struct {
		A int64
		B string
		F float64
	}
	type withTime struct{ At time.Time }
	type withPtr struct{ P *int }
	tests := []struct {
		typ  reflect.Type
		want bool // has a problem
	}{
		{reflect.TypeFor[int64](), false},
		{reflect.TypeFor[string](), false},
		{reflect.TypeFor[float64](), false},
		{reflect.TypeFor[complex128](), false},
		{reflect.TypeFor[flat](), false},
		{reflect.TypeFor[[2]flat](), false},
		{reflect.TypeFor[*int](), true},
		{reflect.TypeFor[chan int](), true},
		{reflect.TypeFor[unsafe.Pointer](), true},
		{reflect.TypeFor[time.Time](), true},
		{reflect.TypeFor[withTime](), true},
		{reflect.TypeFor[[1]withPtr](), true},
		{reflect.TypeFor[any](), true},
		{reflect.TypeFor[error](), true},
	}
	for _, tt := range tests {
		t.Run(tt.typ.String(), func(t *testing.T) {
			if got := Problem(tt.typ); (got != "") != tt.want {
				t.Errorf("Problem(%v) = %q; want a problem: %v", tt.typ, got, tt.want)
			}
		})
	}
}
