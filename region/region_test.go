package region

import (
	"reflect"
	"strings"
	"testing"
)

// The tests declare through declare, with types of their own, so that they
// can run more than once in one process.
type (
	rA struct{}
	rB struct{}
	rC struct{}
	rD struct{}
	rE struct{}
)

var (
	declaredA = New[rA, int64]("declareTestA")

	infoA        = NewParam[int64]("infoA")
	infoB        = NewParam[string]("infoB")
	strictThings = New[strictThing, int64]("strictThing", Strict(infoA))
)

func TestDeclare(t *testing.T) {
	if declaredA.Name() != "declareTestA" {
		t.Fatalf("Name() = %q; want declareTestA", declaredA.Name())
	}
	p := NewParam[string]("declareTestParam")
	tests := []struct {
		name    string
		declare func() error
		want    string
	}{
		{"same type again", func() error { _, err := declare[rA, int64]("declareTestA2", nil); return err }, `type region.rA has a region already ("declareTestA")`},
		{"same name again", func() error { _, err := declare[rB, int64]("declareTestA", nil); return err }, `region name "declareTestA" is taken by type region.rA`},
		{"empty name", func() error { _, err := declare[rC, int64]("", nil); return err }, `region for region.rC declared with an empty name`},
		{"strict parameter twice", func() error {
			_, err := declare[rD, int64]("declareTestD", []Option{Strict(p, p)})
			return err
		}, `strict parameter declareTestParam string listed twice`},
		{"interface IDs", func() error { _, err := declare[rE, any]("declareTestE", nil); return err }, `IDs of type interface {} cannot identify entities`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.declare()
			if err == nil || !strings.HasPrefix(err.Error(), "region: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("declare error = %v; want a region: error containing %q", err, tt.want)
			}
		})
	}
}

type strictThing struct{}

func TestRegion_Info(t *testing.T) {
	a, b, r := infoA, infoB, strictThings
	in := r.Info()
	if in.Name() != "strictThing" || r.Name() != "strictThing" || r.String() != "strictThing" {
		t.Errorf("Name() = %q; want %q", in.Name(), "strictThing")
	}
	if in.Type() != reflect.TypeFor[strictThing]() || in.IDType() != reflect.TypeFor[int64]() {
		t.Errorf("Type(), IDType() = %v, %v; want strictThing, int64", in.Type(), in.IDType())
	}
	if !in.Strict() || !in.MatchesOn(a.Info()) || in.MatchesOn(b.Info()) {
		t.Errorf("Strict, MatchesOn(a), MatchesOn(b) = %v, %v, %v; want true, true, false", in.Strict(), in.MatchesOn(a.Info()), in.MatchesOn(b.Info()))
	}
	if got := in.StrictParams(); len(got) != 1 || got[0] != a.Info() {
		t.Errorf("StrictParams() = %v; want [%v]", got, a)
	}
	var nilRegion *Region[strictThing, int64]
	if nilRegion.Info() != nil {
		t.Errorf("nil Region: Info() != nil")
	}
}

func TestNew_Panics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(error).Error(), "empty name") {
			t.Errorf("New with an empty name recovered %v; want an empty-name error", r)
		}
	}()
	New[struct{ panics bool }, int]("")
}
