module github.com/reqcache/reqcache

go 1.24.0

require (
	github.com/google/uuid v1.6.0
	github.com/maypok86/otter/v2 v2.4.0
)

require go.uber.org/goleak v1.3.0 // indirect
