package region

import (
	"strings"
	"testing"
)

type notKeyOptions struct {
	Trace func(string) // a func field: the type has no ==
}

func TestNewNotKey(t *testing.T) {
	x := NewNotKey[notKeyOptions]("notKeyOpts")
	if x.Name() != "notKeyOpts" || x.String() != "notKeyOpts region.notKeyOptions" {
		t.Errorf("Name, String = %q, %q; want notKeyOpts, notKeyOpts region.notKeyOptions", x.Name(), x.String())
	}
	if y := NewNotKey[notKeyOptions]("notKeyOpts"); y.info != x.info {
		t.Errorf("NewNotKey twice with one name and type: two descriptions; want one")
	}
	// Types a parameter refuses are fine: a NotKey is never compared.
	NewNotKey[error]("notKeyErr")
	NewNotKey[*int]("notKeyPtr")
}

func TestNewNotKey_Panics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
		want string
	}{
		{"empty name", func() { NewNotKey[int]("") }, "empty name"},
		{"parameter first", func() {
			NewParam[string]("clashA")
			NewNotKey[string]("clashA")
		}, `"clashA" of type string is declared as a parameter already`},
		{"keyed parameter first", func() {
			NewParamKey("clashB", func(v string) string { return v })
			NewNotKey[string]("clashB")
		}, `"clashB" of type string is declared as a parameter already`},
		{"NotKey first", func() {
			NewNotKey[string]("clashC")
			NewParam[string]("clashC")
		}, `parameter "clashC" of type string is declared with NewNotKey already`},
		{"NotKey first, keyed parameter", func() {
			NewNotKey[string]("clashD")
			NewParamKey("clashD", func(v string) string { return v })
		}, `parameter "clashD" of type string is declared with NewNotKey already`},
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
