package gen

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata with the generated output")

// goldenCases are the packages of testdata/golden, each with the
// interface to wrap and the warnings Generate gives for it.
var goldenCases = []struct {
	dir, typ string
	warnings int
}{
	{"basic", "Repo", 10},
	{"sqlc", "Querier", 1},
	{"writes", "Repo", 0},
	{"imports", "Repo", 0},
	{"storefront", "Store", 0},
}

// TestGenerate_Golden compares the output for each package of
// testdata/golden with testdata/<package>.golden (go test -update rewrites
// them), and checks that the package compiles with it.
func TestGenerate_Golden(t *testing.T) {
	for _, tt := range goldenCases {
		t.Run(tt.dir, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join("testdata", "golden", tt.dir)
			cfg := Config{Dir: dir, Type: tt.typ}
			res, err := Generate(cfg)
			if err != nil {
				t.Fatalf("Generate(%+v) = %v", cfg, err)
			}
			if len(res.Warnings) != tt.warnings {
				t.Errorf("Generate(%+v) warned %d times; want %d: %v", cfg, len(res.Warnings), tt.warnings, res.Warnings)
			}
			golden := filepath.Join("testdata", tt.dir+".golden")
			if *update {
				if err := os.WriteFile(golden, res.Source, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(res.Source, want) {
				t.Errorf("Generate(%+v) differs from %s (go test -update rewrites it):\n%s", cfg, golden, diffLines(string(want), string(res.Source)))
			}
			checkCompiles(t, cfg, res.Source)
		})
	}
}

// checkCompiles type-checks the package of cfg with src as its output file.
func checkCompiles(t *testing.T, cfg Config, src []byte) {
	t.Helper()
	out, err := filepath.Abs(cfg.OutputPath())
	if err != nil {
		t.Fatal(err)
	}
	pc := &packages.Config{
		Mode:    packages.NeedName | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo,
		Dir:     cfg.Dir,
		Overlay: map[string][]byte{out: src},
	}
	pkgs, err := packages.Load(pc, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range pkgs[0].Errors {
		t.Errorf("the generated code does not compile: %v", e)
	}
}

// diffLines returns the first lines where want and got differ.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n- " + wl + "\n+ " + gl
		}
	}
	return ""
}

// TestGenerate_StaleOutput checks that an output file that no longer
// compiles does not stop its regeneration.
func TestGenerate_StaleOutput(t *testing.T) {
	cfg := Config{Dir: filepath.Join("testdata", "stale"), Type: "Repo"}
	res, err := Generate(cfg)
	if err != nil {
		t.Fatalf("Generate(%+v) = %v; want the stale %s ignored", cfg, err, cfg.OutputPath())
	}
	checkCompiles(t, cfg, res.Source)
}
