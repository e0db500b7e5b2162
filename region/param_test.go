package region

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestNewParam_IdentityByNameAndType(t *testing.T) {
	tests := []struct {
		name string
		a, b Parameter
		same bool
	}{
		{"same name and type", NewParam[int64]("pid"), NewParam[int64]("pid"), true},
		{"other type", NewParam[int64]("pid"), NewParam[int32]("pid"), false},
		{"other name", NewParam[int64]("pid"), NewParam[int64]("pid2"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Info() == tt.b.Info(); got != tt.same {
				t.Errorf("Info() of %v and %v equal = %v; want %v", tt.a.Info(), tt.b.Info(), got, tt.same)
			}
		})
	}
}

func TestParam(t *testing.T) {
	p := NewParam[string]("preName")
	if p.Name() != "preName" || p.String() != "preName string" || p.Info().Type() != reflect.TypeFor[string]() {
		t.Errorf("Name, String, Type = %q, %q, %v", p.Name(), p.String(), p.Info().Type())
	}
	c := p.Is("Smith")
	if c.Param() != p.Info() || c.Value() != "Smith" || c.String() != "preName=Smith" {
		t.Errorf("Is(Smith) = %v (%v, %v); want preName=Smith", c, c.Param(), c.Value())
	}
	if got := (Cond{}).String(); got != "<zero Cond>" {
		t.Errorf("Cond{}.String() = %q", got)
	}
	var nilParam *Param[int]
	if nilParam.Info() != nil {
		t.Errorf("nil Param: Info() != nil")
	}
}

func TestNewParam_Panics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
		want string
	}{
		{"empty name", func() { NewParam[int]("") }, "empty name"},
		{"interface type", func() { NewParam[error]("err") }, "cannot key a cache"},
		{"pointer type", func() { NewParam[*int]("ptr") }, "compares by identity"},
		{"time.Time", func() { NewParam[time.Time]("at") }, "monotonic reading and location"},
		{"struct holding time.Time", func() { NewParam[struct{ At time.Time }]("atStruct") }, "field At"},
		{"nil key function", func() { NewParamKey[time.Time]("at2", nil) }, "nil key function"},
		{"with and without a key", func() {
			NewParamKey("mixed", func(v int) int { return v })
			NewParam[int]("mixed")
		}, "both with and without NewParamKey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if s, _ := r.(string); !strings.HasPrefix(s, "region: ") || !strings.Contains(s, tt.want) {
					t.Errorf("recovered %v; want a region: panic containing %q", r, tt.want)
				}
			}()
			tt.f()
		})
	}
}

func TestNewParamKey(t *testing.T) {
	at := NewParamKey("paramKeyAt", func(t time.Time) time.Time { return t.UTC().Round(0) })
	now := time.Now()
	other := now.In(time.FixedZone("X", 3600))
	if now == other {
		t.Fatalf("test setup: %v == %v", now, other)
	}
	if a, b := at.Is(now).Value(), at.Is(other).Value(); a != b {
		t.Errorf("Is(%v).Value() = %v; want %v, the value of the same instant", other, b, a)
	}
	if !at.Info().Keyed() {
		t.Errorf("Keyed() = false; want true")
	}
	if got, want := at.Key(other), now.UTC().Round(0); got != want {
		t.Errorf("Key(%v) = %v; want %v", other, got, want)
	}
}
