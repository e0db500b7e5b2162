package region

import (
	"reflect"
	"strings"
	"testing"
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
		{"interface type", func() { NewParam[error]("err") }, "cannot key an index"},
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
