module github.com/reqcache/reqcache/bench

go 1.25.0

require (
	github.com/go-chi/chi/v5 v5.5.0
	github.com/graph-gophers/dataloader/v7 v7.2.0
	github.com/maypok86/otter/v2 v2.4.0
	github.com/reqcache/reqcache v0.0.0
	github.com/viccon/sturdyc v1.1.5
	github.com/vikstrous/dataloadgen v0.0.9
	golang.org/x/sync v0.22.0
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	go.opentelemetry.io/otel v1.43.0 // indirect
	go.opentelemetry.io/otel/trace v1.43.0 // indirect
)

replace github.com/reqcache/reqcache => ..
