#!/usr/bin/env bash
# Ten rounds; each round runs every benchmark function once, each in an
# invocation of its own, so that the peers of one benchmark run side by side
# within one invocation and a burst of outside load spreads over all of them.
set -eu
for i in $(seq 10); do
  for b in Request Hit FanOut Invalidate Churn Middleware OtterOptions; do
    echo "round $i $b $(cut -d' ' -f1-3 /proc/loadavg)" >> load.log
    ./bench.test -test.run '^$' -test.bench "^Benchmark$b\$" >> $b.txt
  done
done
