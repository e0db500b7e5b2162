module github.com/reqcache/reqcache/cmd/reqcachegen

go 1.25.0

require (
	github.com/reqcache/reqcache v0.0.0
	go.uber.org/goleak v1.3.0
	golang.org/x/tools v0.48.0
)

require (
	github.com/google/uuid v1.6.0 // indirect
	github.com/maypok86/otter/v2 v2.4.0 // indirect
	golang.org/x/mod v0.38.0 // indirect
	golang.org/x/sync v0.22.0 // indirect
)

replace github.com/reqcache/reqcache => ../..
