#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: initdb into DIR (a new temporary folder by
# default), start it on a free local port (TCP on 127.0.0.1 with a password, and a socket
# in DIR), and print its URL, e.g.
#
#   export EVENTSCOPE_TEST_PG_URL=$(scripts/pg_test_server.sh /tmp/pgtest)
#   .venv/bin/pytest -q tests/store
#   scripts/pg_test_server.sh --stop /tmp/pgtest
#
# Needs Debian's postgresql-15 and postgresql-15-postgis-3 (or PG_BIN pointing at another
# server's binaries). Run as root, the server runs as the `postgres` user (PostgreSQL
# refuses to run as root).
set -euo pipefail

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PASSWORD=${PG_TEST_PASSWORD:-eventscope}

if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    echo "pg_test_server: no PostgreSQL server found (apt install postgresql-15" \
         "postgresql-15-postgis-3, or set PG_BIN)" >&2
    exit 1
fi

as_owner() {  # run a command as the owner of the data folder
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

if [ "${1:-}" = "--stop" ]; then
    dir=${2:?usage: pg_test_server.sh --stop DIR}
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    exit 0
fi

dir=${1:-$(mktemp -d /tmp/eventscope-pg.XXXXXX)}
mkdir -p "$dir"
if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '%s\n' "$PASSWORD" > "$dir/pwfile"
chmod 600 "$dir/pwfile"
[ "$(id -u)" -eq 0 ] && chown postgres: "$dir/pwfile"
# Password over TCP (so the tests can try wrong credentials), trust on the private socket.
as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
    --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
rm -f "$dir/pwfile"
# fsync off: a test server's data need not survive a crash, and the tests write a lot.
as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
echo "pg_test_server: stop it with: $0 --stop $dir" >&2
echo "postgresql://postgres:$PASSWORD@127.0.0.1:$port/postgres"
