#!/usr/bin/env bash
# The commands that made the files of this folder, run from the repository's
# root on 2026-11-25 (2 cores, shared; other sessions compiled and tested at
# the same time, which the wide quartiles of the timed rounds show).
set -euo pipefail
D=bench/testdata/2026-11-25-app

# Timed rounds, SQLite (App-SQLite.*) and PostgreSQL (App-Postgres.*; the
# CPU time is the app's process alone, not the PostgreSQL server's).
bench/measure.sh -p examples/chi-app/internal/api -n 10 -t 300ms -o $D/App-SQLite.txt '^BenchmarkAPI_SQLite' \
	diff:API_SQLite_Customer_Cache:API_SQLite_Customer_NoCache diff:API_SQLite_Dashboard_Cache:API_SQLite_Dashboard_NoCache \
	API_SQLite_Customer_Cache:API_SQLite_Customer_NoCache API_SQLite_Dashboard_Cache:API_SQLite_Dashboard_NoCache >$D/App-SQLite.report
bash -c "source .ci/postgres.sh && bench/measure.sh -p examples/chi-app/internal/api -n 10 -t 300ms -o $D/App-Postgres.txt '^BenchmarkAPI_Postgres' \
	diff:API_Postgres_Customer_Cache:API_Postgres_Customer_NoCache diff:API_Postgres_Dashboard_Cache:API_Postgres_Dashboard_NoCache \
	API_Postgres_Customer_Cache:API_Postgres_Customer_NoCache API_Postgres_Dashboard_Cache:API_Postgres_Dashboard_NoCache >$D/App-Postgres.report"
bench/measure.sh -p examples/chi-app/internal/api -n 20 -t 300ms -o $D/App-SQLite-Customer-n20.txt '^BenchmarkAPI_SQLite_Customer' \
	diff:API_SQLite_Customer_Cache:API_SQLite_Customer_NoCache API_SQLite_Customer_Cache:API_SQLite_Customer_NoCache >$D/App-SQLite-Customer-n20.report

# Instructions per request (App-SQLite-Customer-gogcoff.callgrind), as
# bench/callgrind.sh counts them: the difference of two runs of 200 and 2200
# requests, GOGC=off (the collector's share varies from run to run by more
# than the difference measured, and is left out).
work=$(mktemp -d)
(cd examples/chi-app && CGO_ENABLED=0 go test -c -o "$work/api.test" ./internal/api)
n1=200 n2=2200
echo "instructions per op, (I($n2) - I($n1)) / ($n2 - $n1), valgrind --tool=callgrind, GODEBUG=asyncpreemptoff=1 GOMAXPROCS=1 GOGC=off" >$D/App-SQLite-Customer-gogcoff.callgrind
for rep in 1 2 3; do
	for name in API_SQLite_Customer_Cache API_SQLite_Customer_NoCache; do
		is=()
		for n in $n1 $n2; do
			(cd examples/chi-app/internal/api && GOGC=off GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind \
				--callgrind-out-file="$work/cg.out" "$work/api.test" -test.run '^$' -test.bench "^Benchmark$name\$" -test.benchtime ${n}x >/dev/null 2>&1)
			is+=("$(awk '/^summary:/ { print $2 }' "$work/cg.out")")
		done
		echo "$rep $name $(awk -v a="${is[0]}" -v b="${is[1]}" -v n1=$n1 -v n2=$n2 'BEGIN { printf "%.0f", (b - a) / (n2 - n1) }') I($n1)=${is[0]} I($n2)=${is[1]}" \
			>>$D/App-SQLite-Customer-gogcoff.callgrind
	done
done

# Where the cache's instructions go (customer.callgrind-breakdown.txt): one
# run of 2200 requests of each, the self instructions of every function,
# summed by kind, Cache minus NoCache, per request (the file's header and
# sorted lines were added by hand).
for c in Cache NoCache; do
	(cd examples/chi-app/internal/api && GOGC=off GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind \
		--callgrind-out-file="$work/cg-$c.out" "$work/api.test" -test.run '^$' -test.bench "^BenchmarkAPI_SQLite_Customer_$c\$" -test.benchtime 2200x >/dev/null 2>&1)
	callgrind_annotate --auto=no --threshold=100 "$work/cg-$c.out" | grep -E '^ *[0-9,]+ \( *[0-9.]+%\)  /' |
		awk -v c=$c '{ n = $1; gsub(",", "", n); f = $0; sub(/^[^)]*\)  /, "", f); sub(/^[^:]*:/, "", f)
		if (f ~ /^github.com\/reqcache\/reqcache\/reqcache\./) k = "reqcache core"
		else if (f ~ /^github.com\/reqcache\/reqcache\/middleware\./) k = "reqcache middleware"
		else if (f ~ /internal\/api\.logRecord|log\/slog/) k = "access log (slog)"
		else if (f ~ /^runtime\.(mallocgc|newobject|makeslice|growslice|nextFreeFast|memclr|heapSetType|.*mspan|.*mcache|.*mcentral|.*mheap|.*Alloc|gcmarknewobject|publicationBarrier|roundupsize)/) k = "runtime: allocation"
		else if (f ~ /^(runtime\.|internal\/runtime|gcWriteBarrier|memeqbody|aeshash|cmpbody|indexbytebody)/) k = "runtime: other"
		else if (f ~ /^context\./) k = "context"
		else if (f ~ /modernc/) k = "sqlite"
		else if (f ~ /^database\/sql/) k = "database/sql"
		else if (f ~ /^(internal\/strconv|strconv|fmt|time|sync|encoding|reflect|net\/)/) k = "stdlib other"
		else if (f ~ /internal\/(api|cached|store)\./) k = "app"
		else if (f ~ /go-chi/) k = "chi"
		else k = "other"
		s[k] += n } END { for (k in s) printf "%s\t%s\t%d\n", c, k, s[k] }'
done >"$work/cats.tsv"
awk -F'\t' '{ v[$2 "|" $1] = $3; ks[$2] = 1 } END { for (k in ks) printf "%-22s %+8.0f\n", k, (v[k "|Cache"] - v[k "|NoCache"]) / 2200 }' \
	"$work/cats.tsv" >>$D/customer.callgrind-breakdown.txt

# CPU profiles of the single-row route (customer-*.pprof-*.txt).
(cd examples/chi-app && go test -c -o "$work/api-prof.test" ./internal/api)
for c in Cache NoCache; do
	(cd examples/chi-app/internal/api && "$work/api-prof.test" -test.run '^$' -test.bench "^BenchmarkAPI_SQLite_Customer_$c\$" \
		-test.benchtime 60000x -test.benchmem -test.cpuprofile "$work/$c.prof")
done
go tool pprof -top -cum -focus 'reqcache/reqcache|reqcache/middleware' "$work/api-prof.test" "$work/Cache.prof" |
	sed -E 's/\[go.shape[^]]*\]//g' >$D/customer-cache.pprof-cum.txt
go tool pprof -top -focus 'reqcache/reqcache\.|middleware\.\(\*requestCache\)\.(scope|end)|middleware\.\(\*timingWriter\)|middleware\.\(\*loadTimer\)|requestCache\.1|ScopeWithOptions' \
	-ignore 'via1' "$work/api-prof.test" "$work/Cache.prof" | sed -E 's/\[go.shape[^]]*\]//g' >$D/customer-cache-machinery.pprof-top.txt
go tool pprof -top -cum "$work/api-prof.test" "$work/NoCache.prof" | sed -E 's/\[go.shape[^]]*\]//g' >$D/customer-nocache.pprof-cum.txt
rm -rf "$work"
