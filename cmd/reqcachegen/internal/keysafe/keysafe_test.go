package keysafe

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"
)

const src = `package p

import "time"

type (
	ID      int64
	Flat    struct{ A int64; B string; C [2]bool }
	Nested  struct{ F Flat }
	WithPtr struct{ F Flat; P *int }
	Deep    struct{ N struct{ At time.Time } }
	WithF   struct{ X float32 }
	Arr     [3]*int
	Iface   interface{ M() }
	Rec     struct{ Next *Rec }
	Mixed   struct{ X float64; T time.Time }
	Slices  struct{ S []int }
)

var (
	vInt     int
	vString  string
	vID      ID
	vFlat    Flat
	vNested  Nested
	vArrOK   [4]string
	vFloat   float64
	vComplex complex128
	vWithF   WithF
	vPtr     *int
	vTime    time.Time
	vAny     any
	vIface   Iface
	vErr     error
	vChan    chan int
	vWithPtr WithPtr
	vDeep    Deep
	vArr     Arr
	vRec     Rec
	vMixed   Mixed
	vSlice   []int
	vMap     map[int]int
	vFunc    func()
	vSlices  Slices
)
`

func TestCheck(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importer.Default()}
	pkg, err := conf.Check("p", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		v      string
		want   Kind
		reason string
	}{
		{"vInt", Safe, ""},
		{"vString", Safe, ""},
		{"vID", Safe, ""},
		{"vFlat", Safe, ""},
		{"vNested", Safe, ""},
		{"vArrOK", Safe, ""},
		{"vFloat", Float, "it is a float64: a NaN argument never equals itself"},
		{"vComplex", Float, "it is a complex128"},
		{"vWithF", Float, "its field X is a float32"},
		{"vPtr", Unsafe, "it is a pointer"},
		{"vTime", Unsafe, "it is a time.Time"},
		{"vAny", Unsafe, "it is an interface"},
		{"vIface", Unsafe, "it is an interface"},
		{"vErr", Unsafe, "it is an interface"},
		{"vChan", Unsafe, "it is a channel"},
		{"vWithPtr", Unsafe, "its field P is a pointer"},
		{"vDeep", Unsafe, "its field N's field At is a time.Time"},
		{"vArr", Unsafe, "its element is a pointer"},
		{"vRec", Unsafe, "its field Next is a pointer"},
		{"vMixed", Unsafe, "its field T is a time.Time"},
		{"vSlice", NotComparable, "it is not comparable"},
		{"vMap", NotComparable, "it is not comparable"},
		{"vFunc", NotComparable, "it is not comparable"},
		{"vSlices", NotComparable, "its field S is not comparable"},
	}
	for _, tt := range tests {
		t.Run(tt.v, func(t *testing.T) {
			typ := pkg.Scope().Lookup(tt.v).Type()
			got := Check(typ)
			if got.Kind != tt.want || !strings.HasPrefix(got.Reason, tt.reason) {
				t.Errorf("Check(%v) = %+v; want kind %d, reason %q...", typ, got, tt.want, tt.reason)
			}
		})
	}
}
