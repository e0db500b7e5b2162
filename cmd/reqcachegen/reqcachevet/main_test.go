package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoVet runs reqcachevet as go vet's tool, on a package with mistakes
// and on one without.
func TestGoVet(t *testing.T) {
	if testing.Short() {
		t.Skip("builds reqcachevet and runs go vet")
	}
	bin := filepath.Join(t.TempDir(), "reqcachevet")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	tests := []struct {
		pkg  string
		want []string
	}{
		{"./testdata/bad", []string{
			"bad.go:19:15: region.NewParam: type argument of type *Customer cannot key a cache: it is a pointer",
			"bad.go:27:10: reqcache.Cache1: argument 1 of type *Customer cannot key a cache",
			"bad.go:32:35: invalidate.Match: no cached method of region Customers in this package declares parameter Email",
		}},
		{"../example", nil},
	}
	for _, tt := range tests {
		t.Run(tt.pkg, func(t *testing.T) {
			cmd := exec.Command("go", "vet", "-vettool="+bin, tt.pkg)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			if len(tt.want) == 0 {
				if err != nil {
					t.Errorf("go vet -vettool=reqcachevet %s: %v\n%s", tt.pkg, err, stderr.Bytes())
				}
				return
			}
			if err == nil {
				t.Errorf("go vet -vettool=reqcachevet %s succeeded; want it to fail", tt.pkg)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("go vet -vettool=reqcachevet %s printed:\n%s\nwant a line with %q", tt.pkg, stderr.Bytes(), w)
				}
			}
			if n := strings.Count(stderr.String(), "bad.go:"); n != len(tt.want) {
				t.Errorf("go vet printed %d diagnostics; want %d", n, len(tt.want))
			}
		})
	}
}
