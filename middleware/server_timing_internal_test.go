package middleware

import (
	"testing"
	"time"
)

func TestAppendMillis(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0"},
		{400 * time.Nanosecond, "0"},
		{500 * time.Nanosecond, "0.001"},
		{time.Microsecond, "0.001"},
		{120 * time.Microsecond, "0.12"},
		{time.Millisecond, "1"},
		{12300 * time.Microsecond, "12.3"},
		{12345678 * time.Nanosecond, "12.346"},
		{1500 * time.Millisecond, "1500"},
	}
	for _, tt := range tests {
		t.Run(tt.d.String(), func(t *testing.T) {
			if got := string(appendMillis(nil, tt.d)); got != tt.want {
				t.Errorf("appendMillis(%v) = %q; want %q", tt.d, got, tt.want)
			}
		})
	}
}
