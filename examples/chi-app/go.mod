module github.com/reqcache/reqcache/examples/chi-app

go 1.24.0

require github.com/reqcache/reqcache v0.0.0

replace github.com/reqcache/reqcache => ../..
