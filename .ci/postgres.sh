# Sourced by .ci/run: starts a throwaway PostgreSQL cluster for the tests,
# exports its URL in REQCACHE_TEST_POSTGRES, and stops and removes it when
# the sourcing shell exits, also on failure or interrupt.
#
# Installs Debian's postgresql package if initdb is nowhere to be found.
# The cluster lives in a temporary directory, belongs to a user that is not
# root (initdb refuses root), listens on 127.0.0.1 only, on a free port,
# with its unix socket in the same directory, trusts local connections,
# and runs without fsync: its data is thrown away.

pg_find_bin() {
	if command -v initdb >/dev/null 2>&1; then
		dirname "$(readlink -f "$(command -v initdb)")"
		return
	fi
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

PG_BIN=$(pg_find_bin)
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
	echo "postgres.sh: initdb not found; installing Debian's postgresql package" >&2
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
	PG_BIN=$(pg_find_bin)
fi
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
	echo "postgres.sh: no initdb after installing postgresql" >&2
	exit 1
fi

# pg_as runs a command as the cluster's owner: the postgres system user
# (made by Debian's package), or a user made for it, when we are root.
PG_USER=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
	PG_USER=postgres
	if ! id "$PG_USER" >/dev/null 2>&1; then
		PG_USER=reqcache-pg
		id "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
	fi
fi
pg_as() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$PG_USER" -- "$@"
	else
		"$@"
	fi
}

PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/reqcache-pg.XXXXXX")
chmod 0755 "$PG_DIR"
if [ "$(id -u)" -eq 0 ]; then chown "$PG_USER" "$PG_DIR"; fi

pg_stop() {
	if [ -f "$PG_DIR/data/postmaster.pid" ]; then
		pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$PG_DIR"
}
trap pg_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$PG_DIR/initdb.log" 2>&1 || {
	cat "$PG_DIR/initdb.log" >&2
	exit 1
}

# pg_free_port prints a port on 127.0.0.1 that nothing listens on now.
pg_free_port() {
	local port
	while :; do
		port=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
}

# Another process may take the port between the check and the start:
# try a few.
for attempt in 1 2 3 4 5; do
	PG_PORT=$(pg_free_port)
	if pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
		-o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
		>/dev/null; then
		break
	fi
	if [ "$attempt" -eq 5 ]; then
		echo "postgres.sh: the cluster did not start:" >&2
		cat "$PG_DIR/server.log" >&2
		exit 1
	fi
done

export REQCACHE_TEST_POSTGRES="postgres://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable"
echo "postgres.sh: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT, in $PG_DIR" >&2
