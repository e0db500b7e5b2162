package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/reqcache/reqcache/examples/chi-app/internal/store/storetest"
)

// buildApp builds the app's binary into a temporary directory.
func buildApp(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "chi-app")
	args := []string{"build", "-o", bin}
	if raceEnabled {
		args = append(args, "-race") // reuses what the test's build compiled
	}
	out, err := exec.Command("go", append(args, ".")...).CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// A process is the app's binary, running.
type process struct {
	cmd   *exec.Cmd
	addr  string
	lines chan string // of stderr, after the listening line
	exit  chan error
}

// startApp starts bin with args and waits until it listens.
func startApp(t *testing.T, bin string, args ...string) *process {
	t.Helper()
	p := &process{
		cmd:   exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...),
		lines: make(chan string, 100),
		exit:  make(chan error, 1),
	}
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if strings.Contains(line, "INFO listening ") {
				for _, f := range strings.Fields(line) {
					if v, ok := strings.CutPrefix(f, "addr="); ok {
						addr <- v
					}
				}
				continue
			}
			select {
			case p.lines <- line:
			default:
			}
		}
		close(p.lines)
		p.exit <- p.cmd.Wait()
	}()
	select {
	case p.addr = <-addr:
	case err := <-p.exit:
		t.Fatalf("%s exited before it listened: %v", bin, err)
	}
	return p
}

// waitFor returns the first line of the app's log that contains s, or
// fails the test when the log ends without one.
func (p *process) waitFor(t *testing.T, s string) string {
	t.Helper()
	for line := range p.lines {
		if strings.Contains(line, s) {
			return line
		}
	}
	t.Fatalf("the app's log ended without %q", s)
	return ""
}

func get(t *testing.T, addr, path string) int {
	t.Helper()
	res, err := http.Get("http://" + addr + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// On SIGTERM the app turns unready, serves on through the drain period,
// shuts down, closes the connection of a client stalled in its body when
// the shutdown timeout passed, and exits 0.
func TestSIGTERM_StalledClient(t *testing.T) {
	bin := buildApp(t)
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			dsn := storetest.DSN(t, kind)
			p := startApp(t, bin, "-db", dsn, "-seed", "20",
				"-drain", "3s", "-shutdown-timeout", "100ms", "-body-timeout", "1h", "-read-timeout", "1h")
			stalled := dial(t, p.addr)
			if _, err := io.WriteString(stalled, stalledPost); err != nil {
				t.Fatal(err)
			}
			if code := get(t, p.addr, "/readyz"); code != http.StatusOK {
				t.Fatalf("GET /readyz = %d; want 200", code)
			}
			if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			p.waitFor(t, "draining")
			if code := get(t, p.addr, "/readyz"); code != http.StatusServiceUnavailable {
				t.Errorf("GET /readyz while draining = %d; want 503", code)
			}
			if code := get(t, p.addr, "/customers/1"); code != http.StatusOK {
				t.Errorf("GET /customers/1 while draining = %d; want 200", code)
			}
			p.waitFor(t, "closing their connections")
			if _, err := io.Copy(io.Discard, stalled); err != nil && !errors.Is(err, syscall.ECONNRESET) {
				t.Errorf("the stalled client's connection: %v; want it closed", err)
			}
			for range p.lines {
			}
			if err := <-p.exit; err != nil {
				t.Errorf("the app after SIGTERM with a stalled client: %v; want exit status 0", err)
			}
		})
	}
}

// Bad databases fail at start-up with a message that names them.
func TestRun_BadDatabase(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte(strings.Repeat("not a database\n", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ db, want string }{
		{dir, dir + " is not a regular file"},
		{text, text + " is not a SQLite database"},
		{filepath.Join(dir, "missing", "shop.db"), filepath.Join(dir, "missing", "shop.db")},
	} {
		err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-db", tt.db}, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("run(-db %s) = %v; want an error with %q", tt.db, err, tt.want)
		}
	}
}
