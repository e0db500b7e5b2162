package example

import (
	"bytes"
	"os"
	"testing"

	"github.com/reqcache/reqcache/cmd/reqcachegen/internal/gen"
)

// TestGeneratedIsFresh fails when repo_reqcache.go is not what reqcachegen
// generates from repo.go today: run go generate.
func TestGeneratedIsFresh(t *testing.T) {
	cfg := gen.Config{Dir: ".", Type: "Repo"}
	res, err := gen.Generate(cfg)
	if err != nil {
		t.Fatalf("Generate(%+v) = %v", cfg, err)
	}
	committed, err := os.ReadFile(cfg.OutputPath())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(res.Source, committed) {
		t.Errorf("%s is stale: run go generate ./... in cmd/reqcachegen/example", cfg.OutputPath())
	}
}
