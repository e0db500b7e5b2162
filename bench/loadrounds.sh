#!/usr/bin/env bash
# loadrounds.sh: the example app under load on both stores, SQLite and
# PostgreSQL, with its request cache on and off, in interleaved rounds.
#
#   bench/loadrounds.sh [-n ROUNDS] [-d DURATION] [-c CLIENTS] [-o OUT]
#
# Run it from the repository's root. It builds examples/chi-app and
# bench/cmd/loadgen once, starts a throwaway PostgreSQL cluster with
# .ci/postgres.sh (stopped and removed at exit), and then runs ROUNDS
# rounds (default 5). A round runs loadgen once per store, the stores in a
# random order, each with -rounds 1 -shuffle: every case (GET /dashboard
# and GET /customers/{id}, on the app with -cache=true and with
# -cache=false) once, in a random order, for DURATION (default 3s) after a
# 500ms warm-up, with CLIENTS concurrent clients (default 4). SQLite is a
# fresh file per app and per round; PostgreSQL one database seeded once
# and shared by both apps. The lines loadgen printed go to OUT (default: a
# new file in a temporary folder), their names prefixed with db=STORE.
#
# Then it prints, as Markdown, per case the median and the range (min-max)
# over the rounds of req/s, p50 latency, queries/req and the app's CPU per
# request, and per store and route the per-round ratio of the throughput
# with the cache to without, with its median and range.
set -euo pipefail

rounds=5 dur=3s clients=4 out=
while getopts 'n:d:c:o:' opt; do
	case $opt in
	n) rounds=$OPTARG ;;
	d) dur=$OPTARG ;;
	c) clients=$OPTARG ;;
	o) out=$OPTARG ;;
	*) sed -n '2,22s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done
[ -f .ci/postgres.sh ] && [ -d examples/chi-app ] || { echo "loadrounds.sh: run it from the repository's root" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/loadrounds.XXXXXX")
source .ci/postgres.sh # sets REQCACHE_TEST_POSTGRES; its EXIT trap stops the cluster
trap 'pg_stop; rm -rf "$work"' EXIT
[ -n "$out" ] || out=$work/rounds.txt
: >"$out"

go build -o "$work/chi-app" ./examples/chi-app
go build -o "$work/loadgen" ./bench/cmd/loadgen

for round in $(seq 1 "$rounds"); do
	for db in $(printf 'sqlite\npostgres\n' | shuf); do
		dbflag=()
		[ "$db" = postgres ] && dbflag=(-db "$REQCACHE_TEST_POSTGRES")
		echo "# round $round: $db" | tee -a "$out" >&2
		"$work/loadgen" -app "$work/chi-app" "${dbflag[@]}" -rounds 1 -shuffle -d "$dur" -warmup 500ms -c "$clients" |
			sed "s|^BenchmarkLoad/|BenchmarkLoad/db=$db/|" >>"$out"
	done
done
echo "loadrounds.sh: the measurements are in $out" >&2

# summarize prints the Markdown tables of the file of measurements.
awk -v rounds="$rounds" '
function sortv(a, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t } }
function median(a, n) { sortv(a, n); return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2 }
# stat prints the median and range of the values of key k in unit u.
function stat(k, u, scale, fmt,   i, n, v) {
	n = cnt[k, u]
	for (i = 1; i <= n; i++) v[i] = val[k, u, i] / scale
	m = median(v, n)
	return sprintf(fmt " (" fmt "-" fmt ")", m, v[1], v[n])
}
/^# round/ { round = $3 + 0 }
/^BenchmarkLoad\// {
	split($1, p, "/"); k = p[2] "/" p[3] "/" p[4]
	if (!(k in seen)) { seen[k] = 1; keys[++nk] = k }
	for (i = 3; i < NF; i += 2) { u = $(i+1); val[k, u, ++cnt[k, u]] = $i }
	rps[p[2], p[3], p[4], round] = $5
}
END {
	print "| case | req/s | p50 latency, µs | queries/req | app CPU/req, µs |"
	print "|---|---:|---:|---:|---:|"
	for (i = 1; i <= nk; i++) { k = keys[i]; ord[i] = k }
	sortv(ord, nk)
	for (i = 1; i <= nk; i++) {
		k = ord[i]
		printf "| %s | %s | %s | %s | %s |\n", k, stat(k, "req/s", 1, "%.0f"), stat(k, "p50-ns", 1000, "%.0f"), stat(k, "queries/req", 1, "%.2f"), stat(k, "app-cpu-ns/req", 1000, "%.0f")
	}
	print ""
	print "| store / route | req/s with the cache ÷ without, per round | median (range) |"
	print "|---|---|---:|"
	for (i = 1; i <= nk; i++) {
		split(ord[i], p, "/")
		if (p[3] != "cache=on") continue
		n = 0; list = ""
		for (r = 1; r <= rounds; r++) {
			on = rps[p[1], p[2], "cache=on", r]; off = rps[p[1], p[2], "cache=off", r]
			if (on == "" || off == "" || off == 0) continue
			q[++n] = on / off; list = list (n > 1 ? ", " : "") sprintf("%.2f", on / off)
		}
		printf "| %s/%s | %s | %.2f (%.2f-%.2f) |\n", p[1], p[2], list, median(q, n), q[1], q[n]
	}
}' "$out"
