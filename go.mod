module github.com/reqcache/reqcache

go 1.24.0

require (
	github.com/go-chi/chi/v5 v5.5.0
	github.com/google/uuid v1.6.0
	github.com/maypok86/otter/v2 v2.4.0
	go.uber.org/goleak v1.3.0
)
