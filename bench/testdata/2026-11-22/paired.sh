#!/usr/bin/env bash
# Middleware in ten interleaved rounds, then 30 paired invocations of the
# peers each target compares, 200 ms each.
set -eu
for i in $(seq 10); do
  echo "round $i Middleware $(cut -d' ' -f1-3 /proc/loadavg)" >> load.log
  ./bench.test -test.run '^$' -test.bench '^BenchmarkMiddleware$' >> Middleware.txt
done
for i in $(seq 30); do
  echo "paired $i $(cut -d' ' -f1-3 /proc/loadavg)" >> load.log
  ./bench.test -test.run '^$' -test.bench '^BenchmarkRequest$/^(reqcache|otter-pooled-raw|otter-shared-raw)$' -test.benchtime 200ms >> RequestPaired.txt
  ./bench.test -test.run '^$' -test.bench '^BenchmarkHit$/^(reqcache|otter-raw)$' -test.benchtime 200ms >> HitPaired.txt
  ./bench.test -test.run '^$' -test.bench '^BenchmarkMiddleware$/^(none|reqcache|withvalue)$' -test.benchtime 200ms >> MiddlewarePaired.txt
done
