package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out.go")
	golden, err := os.ReadFile(filepath.Join("internal", "gen", "testdata", "writes.golden"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no type", nil, 2, "usage: reqcachegen -type Interface"},
		{"extra argument", []string{"-type", "Repo", "x"}, 2, "usage:"},
		{"bad flag", []string{"-typo", "Repo"}, 2, "flag provided but not defined: -typo"},
		{"annotation error", []string{"-dir", "internal/gen/testdata/errors", "-type", "MissingArg"}, 1, "./internal/gen/testdata/errors/errors.go:77:2: reqcachegen: params= names parameter idd"},
		{"ok", []string{"-dir", "internal/gen/testdata/golden/writes", "-type", "Repo", "-output", out}, 0, ""},
		{"warning", []string{"-dir", "internal/gen/testdata/golden/sqlc", "-type", "Querier", "-output", filepath.Join(t.TempDir(), "q.go")}, 0,
			"./internal/gen/testdata/golden/sqlc/querier.go:60:2: reqcachegen: Querier.ListAuthorsSince is annotated //reqcache:read, but is passed through uncached"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if code := run(tt.args, &stderr); code != tt.code || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("run(%q) = %d, stderr %q; want %d, stderr with %q", tt.args, code, stderr.String(), tt.code, tt.stderr)
			}
		})
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, golden) {
		t.Errorf("run wrote %s unlike writes.golden", out)
	}
}
