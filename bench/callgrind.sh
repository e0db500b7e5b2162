#!/usr/bin/env bash
# callgrind.sh: instructions per op of benchmark cases, counted by
# valgrind's callgrind, which a busy machine changes only through the
# collector's timing (see -s below).
#
#   bench/callgrind.sh [-s] [-n N1,N2] [-r REPEATS] NAME...
#
# Builds the test binary of bench/ once with CGO_ENABLED=0 (callgrind
# follows a pure Go binary), then runs each NAME (a benchmark case without
# "Benchmark", as Request/reqcache or Close/entries=5/reqcache) under
# valgrind --tool=callgrind with GODEBUG=asyncpreemptoff=1 (no preemption
# signals) and GOMAXPROCS=1 unless the environment sets it, twice: with
# -test.benchtime N1x and N2x (default 1000,10000). Everything but the ops
# (the process's start, the benchmark's setup, its first run of one op) is
# the same in both runs, so
#
#   instructions per op = (instructions(N2) - instructions(N1)) / (N2 - N1)
#
# It does that REPEATS times (default 3) and prints, for each NAME, the
# median with the lowest and highest, and the first NAME's median divided
# by each other's. The count includes what the ops make the garbage
# collector and the runtime do, and that share moves with the machine's
# load: the runtime's clocks run in wall time while valgrind slows the
# program, so how many ops run while a collection marks, with the write
# barrier on, depends on what else runs. The same Request/reqcache counted
# 13,993 on one day and 19,596 on the next, and 13,767 and 19,371 within
# minutes with and without a spin loop on the other core.
#
# -s counts with GODEBUG=gcstoptheworld=1: each collection marks and
# sweeps with the program stopped, so the collector's work is counted
# without its timing, and the count repeats (13,001 and 13,018 for the
# same two runs). It leaves out what a concurrent mark costs the program
# (the write barrier, assists). The environment passes through, so
# GOGC=off counts the ops without the collector at all. Give a -s or a
# GOGC=off count beside every headline; see BENCHMARKS.md, "Re-measured at
# 34c474e".
#
# Why GOMAXPROCS=1: valgrind runs one thread at a time, and with more than
# one P the runtime's idle threads spin looking for work while they hold
# it; their instructions are counted too, and can outweigh the ops (one
# run of Request/otter-pooled-raw at GOMAXPROCS=2 counted 1.04 billion
# instructions for 1,000 ops and 0.43 billion for 10,000). Needs valgrind
# (apt-get install -y valgrind).
set -euo pipefail

ns=1000,10000 repeats=3
godebug=asyncpreemptoff=1
usage() { sed -n '2,/^set -euo/{/^set -euo/d; s/^# \{0,1\}//p}' "$0" >&2; }
while getopts 'sn:r:' opt; do
	case $opt in
	s) godebug=$godebug,gcstoptheworld=1 ;;
	n) ns=$OPTARG ;;
	r) repeats=$OPTARG ;;
	*) usage; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
n1=${ns%%,*} n2=${ns#*,}
if [ $# -lt 1 ] || [ "$n2" -le "$n1" ]; then
	usage
	exit 2
fi
command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind is not installed" >&2; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here" && CGO_ENABLED=0 go test -c -o "$work/bench.test" .)

# pattern turns Request/reqcache into ^BenchmarkRequest$/^reqcache$.
pattern() {
	local IFS=/ part out=
	for part in Benchmark$1; do
		part=$(printf '%s' "$part" | sed 's/[][\.*^$+?(){}|]/\\&/g')
		out=${out:+$out/}^$part\$
	done
	printf '%s' "$out"
}

# instructions NAME N prints the instructions of one run of NAME for N ops.
instructions() {
	local out=$work/callgrind.out
	rm -f "$out"
	(cd "$here" && GOMAXPROCS=${GOMAXPROCS:-1} GODEBUG=$godebug valgrind --tool=callgrind --callgrind-out-file="$out" \
		"$work/bench.test" -test.run '^$' -test.bench "$(pattern "$1")" -test.benchtime "${2}x" \
		>"$work/stdout" 2>"$work/stderr") || { cat "$work/stderr" >&2; return 1; }
	if ! grep -q '^Benchmark' "$work/stdout"; then
		echo "callgrind.sh: no benchmark matches $1" >&2
		return 1
	fi
	awk '/^summary:/ { print $2 }' "$out"
}

echo "instructions per op, (I($n2) - I($n1)) / ($n2 - $n1), median of $repeats runs [lowest, highest]," \
	"valgrind --tool=callgrind, GODEBUG=$godebug GOMAXPROCS=${GOMAXPROCS:-1}${GOGC:+ GOGC=$GOGC}"
first=
for name in "$@"; do
	pers=
	for _ in $(seq "$repeats"); do
		i1=$(instructions "$name" "$n1")
		i2=$(instructions "$name" "$n2")
		pers="$pers $(awk -v a="$i1" -v b="$i2" -v n1="$n1" -v n2="$n2" 'BEGIN { printf "%.0f", (b - a) / (n2 - n1) }')"
	done
	read -r per lo hi < <(printf '%s\n' $pers | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)], v[1], v[NR] }')
	ratio=
	if [ -z "$first" ]; then
		first=$per
	else
		ratio=$(awk -v a="$first" -v b="$per" -v f="$1" 'BEGIN { printf "  %s ÷ this = %.2f", f, a / b }')
	fi
	printf '%-45s %12s instructions/op  [%s, %s]%s\n' "$name" "$per" "$lo" "$hi" "$ratio"
done
