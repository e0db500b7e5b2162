#!/usr/bin/env bash
# functions.sh DIR OUT: instructions per op of BatchConcurrent/reqcache by
# function (self cost, the difference of a run of 1,000 ops and one of 100,
# divided by 900), for the bench/ of the checkout DIR, written to OUT as
# "instructions<TAB>function", sorted by function. Compare two commits with
# join(1) on the function column.
set -euo pipefail
out=$(realpath -m "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$1/bench" && CGO_ENABLED=0 go test -c -o "$work/p.test" .)
cd "$work"
for n in 100 1000; do
	GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file="p.$n" \
		./p.test -test.run '^$' -test.bench '^BenchmarkBatchConcurrent$/^reqcache$' -test.benchtime ${n}x >/dev/null 2>&1
	callgrind_annotate --auto=no --threshold=100 --tree=none "p.$n" 2>/dev/null |
		grep -E '^ *[0-9,]+ \(' | grep -v 'PROGRAM TOTALS' |
		sed -E 's/^ *([0-9,]+) \([^)]*\) +/\1\t/; s/ *\[[^]]*\]$//; s/^([0-9,]+)\t[^:]*:/\1\t/; s/go\.shape\.struct \{[^}]*\}/S/g' |
		tr -d ',' >"self.$n"
done
awk -F'\t' 'NR == FNR { a[$2] = $1; next } { printf "%.0f\t%s\n", ($1 - a[$2]) / 900, $2 }' self.100 self.1000 |
	sort -t$'\t' -k2 >"$out"
