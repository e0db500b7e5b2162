package region

import (
	"strings"
	"testing"
)

type targetThing struct{}

var targets = New[targetThing, int64]("targetThing", Strict(NewParam[string]("tGroup")))

func TestTag(t *testing.T) {
	tag := targets.Tag(7)
	if tag.Region() != targets.Info() || tag.ID() != int64(7) || tag.String() != "targetThing:7" {
		t.Errorf("Tag(7) = %v (%v, %v)", tag, tag.Region(), tag.ID())
	}
	if tag != targets.Tag(7) || tag == targets.Tag(8) {
		t.Errorf("tags do not compare by entity")
	}
	if got := targets.Tags(1, 2); len(got) != 2 || got[1] != targets.Tag(2) {
		t.Errorf("Tags(1, 2) = %v", got)
	}
	if got := (Tag{}).String(); got != "<zero Tag>" {
		t.Errorf("Tag{}.String() = %q", got)
	}
}

func TestFilter_Validate(t *testing.T) {
	group := NewParam[string]("tGroup")
	other := NewParam[int]("tOther")
	tests := []struct {
		name   string
		filter Filter
		want   string // "" for valid
	}{
		{"whole region", targets.Where(), ""},
		{"strict parameter", targets.Where(group.Is("a")), ""},
		{"zero filter", Filter{}, "zero Filter"},
		{"zero condition", targets.Where(Cond{}), "condition 0 is a zero Cond"},
		{"parameter twice", targets.Where(group.Is("a"), group.Is("b")), "parameter tGroup string given twice"},
		{"not matched on", targets.Where(other.Is(1)), "region is strict and does not match on parameter tOther int"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.filter.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate() = %v; want nil", err)
			case tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), "region: ") || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Validate() = %v; want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestFilter_String(t *testing.T) {
	group := NewParam[string]("tGroup")
	tests := []struct {
		f    Filter
		want string
	}{
		{targets.Where(), "targetThing()"},
		{targets.Where(group.Is("a")), "targetThing(tGroup=a)"},
		{Filter{}, "<zero Filter>"},
	}
	for _, tt := range tests {
		if got := tt.f.String(); got != tt.want {
			t.Errorf("String() = %q; want %q", got, tt.want)
		}
	}
	if f := targets.Where(group.Is("a")); f.Region() != targets.Info() || len(f.Conds()) != 1 {
		t.Errorf("Region, Conds of a filter are not what Where was given")
	}
}
