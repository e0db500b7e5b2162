#!/usr/bin/env bash
# stw.sh [GODEBUG-SUFFIX]: instructions per op of Request/reqcache, one
# run of 1,000 ops and one of 10,000, as callgrind.sh counts them, with
# GODEBUG=asyncpreemptoff=1 followed by the suffix (for instance
# ,gcstoptheworld=1). Run from the repository's root; stw.txt holds what
# it printed on an idle machine and then with a spin loop on the other core:
#
#   bench/testdata/2026-11-26-gc/stw.sh; bench/testdata/2026-11-26-gc/stw.sh ,gcstoptheworld=1
#   (timeout 100 sh -c 'while :; do :; done' &)
#   bench/testdata/2026-11-26-gc/stw.sh; bench/testdata/2026-11-26-gc/stw.sh ,gcstoptheworld=1
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd bench && CGO_ENABLED=0 go test -c -o "$work/bench.test" .)
for n in 1000 10000; do
	GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1${1:-} valgrind --tool=callgrind --callgrind-out-file="$work/out.$n" \
		"$work/bench.test" -test.run '^$' -test.bench '^BenchmarkRequest$/^reqcache$' -test.benchtime ${n}x >/dev/null 2>&1
	eval "i$n=$(awk '/^summary:/ { print $2 }' "$work/out.$n")"
done
echo "GODEBUG=asyncpreemptoff=1${1:-}: $(( (i10000 - i1000) / 9000 )) instructions/op"
