package gen

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommand_GenerateCompileRun builds reqcachegen, runs it on the fake
// shop of testdata/run copied into a module of its own, and runs the shop:
// the generated code must compile, cache the reads, pass the rest through,
// and invalidate after the writes, as testdata/run/want.txt says.
func TestCommand_GenerateCompileRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs two programs")
	}
	root := repoRoot(t)
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "reqcachegen")
	goCmd(t, filepath.Join("..", ".."), nil, "build", "-o", bin, ".")

	shop := filepath.Join(tmp, "shop")
	if err := os.MkdirAll(shop, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"repo.go", "main.go"} {
		copyFile(t, filepath.Join("testdata", "run", name), filepath.Join(shop, name))
	}
	copyFile(t, filepath.Join(root, "go.sum"), filepath.Join(shop, "go.sum"))
	gomod := "module shop\n\ngo 1.24\n\nrequire github.com/reqcache/reqcache v0.0.0\n\nreplace github.com/reqcache/reqcache => " + root + "\n"
	if err := os.WriteFile(filepath.Join(shop, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"GOWORK=off", "GOFLAGS=-mod=mod"}

	gen := exec.Command(bin, "-type", "Repo")
	gen.Dir, gen.Env = shop, append(os.Environ(), env...)
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("reqcachegen -type Repo: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(shop, "repo_reqcache.go")); err != nil {
		t.Fatalf("reqcachegen wrote no repo_reqcache.go: %v", err)
	}
	goCmd(t, shop, env, "vet", ".")
	got := goCmd(t, shop, env, "run", ".")
	want, err := os.ReadFile(filepath.Join("testdata", "run", "want.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the shop printed:\n%s\nwant:\n%s", got, want)
	}
}

// goCmd runs the go command in dir and returns its standard output.
func goCmd(t *testing.T, dir string, env []string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s in %s: %v\n%s", strings.Join(args, " "), dir, err, stderr.Bytes())
	}
	return out
}

// repoRoot returns the directory of the module github.com/reqcache/reqcache,
// found from the working directory up.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.HasPrefix(string(mod), "module github.com/reqcache/reqcache\n") {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no module github.com/reqcache/reqcache above the working directory")
		}
		dir = parent
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
