#!/usr/bin/env bash
# profile.sh NAME [N1,N2]: where the instructions per op of one benchmark
# case go, by function group, as callgrind counts them: the difference of
# two runs (N1 and N2 ops, default 100,1000) of the case, as
# bench/callgrind.sh does, split by the self cost of each function. Run from the repository's root; prints
# instructions per op for the groups "stack growth" (runtime.copystack and
# the unwinding it does), "allocation", "garbage collector", "scheduler",
# "reqcache" and "other".
set -euo pipefail
name=$1 ns=${2:-100,1000}
n1=${ns%%,*} n2=${ns#*,}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd bench && CGO_ENABLED=0 go test -c -o "$work/bench.test" .)
bench=^Benchmark${name%%/*}\$/^${name#*/}\$
for n in $n1 $n2; do
	GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file="$work/out.$n" \
		"$work/bench.test" -test.run '^$' -test.bench "$bench" -test.benchtime ${n}x >/dev/null 2>&1
	callgrind_annotate --auto=no --threshold=100 --tree=none "$work/out.$n" 2>/dev/null |
		grep -E '^ *[0-9,]+ \(' | grep -v '=>' | grep -v -e 'PROGRAM TOTALS' -e 'events annotated' |
		sed -E 's/^ *([0-9,]+) \([^)]*\) +/\1\t/' | tr -d ',' >"$work/self.$n"
done
awk -F'\t' -v d=$((n2 - n1)) 'NR == FNR { a[$2] = $1; next } { print ($1 - a[$2]) / d "\t" $2 }' "$work/self.$n1" "$work/self.$n2" |
	awk -F'\t' '
	{ n = $2; g = "other" }
	n ~ /reqcache\/reqcache\/reqcache\./ { g = "reqcache" }
	n ~ /symtab\.go|stkframe\.go|stack\.go|traceback\.go/ { g = "stack growth" }
	n ~ /malloc|memclr|mcache|mcentral|mheap|writeHeapBits|nextFree/ { g = "allocation" }
	n ~ /mgc|mbitmap|mwbbuf|WriteBarrier|scanblock|greentea|mspanset|sweep/ { g = "garbage collector" }
	n ~ /proc\.go|lock_spinbit|chan\.go|select\.go|sema\.go/ { g = "scheduler" }
	{ s[g] += $1; t += $1 }
	END { for (g in s) printf "%9.0f  %s\n", s[g], g; printf "%9.0f  %s\n", t, "total" }' | sort -rn
