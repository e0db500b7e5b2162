#!/usr/bin/env bash
# measure.sh: interleaved, shuffled rounds of the benchmarks, and per-round
# paired ratios.
#
#   bench/measure.sh [-p DIR] [-n ROUNDS] [-t BENCHTIME] [-o OUT] REGEX [[diff:]BASE:PEER[,PEER...]]...
#
# Builds the test binary of the package in DIR (a folder relative to the
# repository's root; default bench) once, then runs it in DIR ROUNDS times
# (default 10). Each invocation (a "round") runs every benchmark that
# matches REGEX (a -test.bench pattern) once, for BENCHTIME (default
# 300ms), with -test.benchmem, in an order shuffled anew each round: top-level
# benchmarks by -test.shuffle, and the cases of each benchmark by the
# benchmarks themselves, with the same seed. The rounds are appended to OUT
# (default: a new file in a temporary folder), the 1-minute load average
# before each round to OUT.load.
#
# Then it prints (on standard output, as Markdown to paste into
# BENCHMARKS.md) the median of every benchmark in each unit, and, for each
# BASE:PEERS argument, the per-round ratio BASE ÷ PEER in ns/op and in
# cpu-ns/op, with its median and quartiles over the rounds; with the diff:
# prefix, the difference BASE − PEER instead. Names are benchmark names
# without "Benchmark" and the -GOMAXPROCS suffix:
#
#   bench/measure.sh -n 20 '^Benchmark(Request|OneMiss)$' \
#       Request/reqcache:Request/otter-pooled-raw,Request/dataloadgen \
#       diff:OneMiss/reqcache:OneMiss/direct
#   bench/measure.sh -p examples/chi-app/internal/api '^BenchmarkAPI_SQLite_Customer' \
#       diff:API_SQLite_Customer_Cache:API_SQLite_Customer_NoCache
#
# More from the same file: go run ./bench/cmd/ratios -h
set -euo pipefail

rounds=10 benchtime=300ms out= pkg=bench
while getopts 'p:n:t:o:' opt; do
	case $opt in
	p) pkg=$OPTARG ;;
	n) rounds=$OPTARG ;;
	t) benchtime=$OPTARG ;;
	o) out=$OPTARG ;;
	*) sed -n '2,30s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -lt 1 ]; then
	sed -n '2,30s/^# \{0,1\}//p' "$0" >&2
	exit 2
fi
regex=$1
shift

here=$(cd "$(dirname "$0")" && pwd)
if ! dir=$(cd "$here/.." && cd "$pkg" 2>/dev/null && pwd); then
	echo "measure.sh: -p $pkg: no such folder in the repository" >&2
	exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$out" ]; then
	out=$(mktemp "${TMPDIR:-/tmp}/measure.XXXXXX.txt")
fi
shown=$out
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")

(cd "$dir" && go test -c -o "$work/bench.test" .)
(cd "$here" && go build -o "$work/ratios" ./cmd/ratios)

echo "# $(date -u +%FT%TZ) $(cd "$here" && git describe --always --dirty 2>/dev/null || echo '?')" \
	"pkg=$pkg rounds=$rounds benchtime=$benchtime regex=$regex" >>"$out.load"
for i in $(seq "$rounds"); do
	seed=$(((RANDOM << 15) | RANDOM))
	echo "round $i seed $seed load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out.load"
	(cd "$dir" && "$work/bench.test" -test.run '^$' -test.bench "$regex" \
		-test.benchtime "$benchtime" -test.benchmem -test.shuffle "$seed") >>"$out"
	printf '.' >&2
done
echo >&2

echo "rounds: $shown (load averages: $shown.load)" >&2
"$work/ratios" -table "$out"
for pair in "$@"; do
	echo
	flags=()
	case $pair in
	diff:*) flags=(-diff) pair=${pair#diff:} ;;
	esac
	for unit in ns/op cpu-ns/op; do
		"$work/ratios" "${flags[@]}" -unit "$unit" -base "${pair%%:*}" -vs "${pair#*:}" "$out"
	done
done
