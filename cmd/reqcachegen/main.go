// Command reqcachegen writes the cached implementation of a repository
// interface, so that no forwarding code is written by hand. Run it from a
// //go:generate line in the package that declares the interface:
//
//	//go:generate go run github.com/reqcache/reqcache/cmd/reqcachegen -type Repo
//
// It writes repo_reqcache.go, which declares CachedRepo and NewCachedRepo.
// Methods are cached, batched or made to invalidate by annotations in their
// doc comments:
//
//	//reqcache:read region=Customers params=id:CustomerID id=param:id
//	GetCustomer(ctx context.Context, id int64) (Customer, error)
//
//	//reqcache:batch region=Customers
//	GetCustomers(ctx context.Context, ids []int64) (map[int64]Customer, error)
//
//	//reqcache:write region=Customers invalidate=id:c.ID
//	UpdateCustomer(ctx context.Context, c Customer) error
//
// Every other method is forwarded uncached, with a comment saying why. See
// the README for every setting of the annotations.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/reqcache/reqcache/cmd/reqcachegen/internal/gen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

// run runs the command with the arguments args, writing messages to
// stderr, and returns its exit code.
func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("reqcachegen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg gen.Config
	fs.StringVar(&cfg.Type, "type", "", "the interface to wrap (required)")
	fs.StringVar(&cfg.Output, "output", "", "the file to write (default: <type in lower case>_reqcache.go)")
	fs.StringVar(&cfg.Name, "name", "", "the name of the generated struct (default: Cached<type>)")
	fs.StringVar(&cfg.Dir, "dir", ".", "the directory of the package that declares the interface")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if cfg.Type == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: reqcachegen -type Interface [-output file] [-name Struct] [-dir dir]")
		return 2
	}
	res, err := gen.Generate(cfg)
	if err != nil {
		fmt.Fprintln(stderr, relative(err))
		return 1
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, relative(w))
	}
	if err := os.WriteFile(cfg.OutputPath(), res.Source, 0o644); err != nil {
		fmt.Fprintf(stderr, "reqcachegen: %v\n", err)
		return 1
	}
	return 0
}

// relative returns err with the file of its position relative to the
// working directory, as compilers print them, if it has a position.
func relative(err error) error {
	var e *gen.Error
	if !errors.As(err, &e) {
		return err
	}
	wd, werr := os.Getwd()
	if werr != nil {
		return err
	}
	rel, rerr := filepath.Rel(wd, e.Pos.Filename)
	if rerr != nil {
		return err
	}
	if !strings.HasPrefix(rel, "..") {
		rel = "." + string(filepath.Separator) + rel
	}
	pos := e.Pos
	pos.Filename = rel
	return &gen.Error{Pos: pos, Msg: e.Msg}
}
