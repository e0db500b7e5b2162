// Command reqcachevet checks reqcache declarations and invalidations: it
// reports parameters whose types cannot key a cache, and invalidations by
// parameters that no cached method of the region declares. Run it alone,
//
//	reqcachevet ./...
//
// or through go vet:
//
//	go install ./cmd/reqcachegen/reqcachevet
//	go vet -vettool=$(which reqcachevet) ./...
package main

import (
	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/reqcache/reqcache/cmd/reqcachegen/analyzer"
)

func main() { singlechecker.Main(analyzer.Analyzer) }
