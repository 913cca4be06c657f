#!/usr/bin/env bash
# Starts a streaming replica of the local PostgreSQL (127.0.0.1:5432) on its own port, for the read-replica tests
# (TEST_STOCK_REPLICA_URL). Idempotent: a replica already answering is left alone, a stopped one is started again.
#
#   scripts/start-replica.sh            # port 5433, data in /tmp/marketgraph-replica-5433
#   REPLICA_PORT=5434 scripts/start-replica.sh
#   scripts/start-replica.sh stop       # stops it (the data folder stays; `rm -rf` it to start afresh)
#
# What it changes on the primary, only when missing: one pg_hba.conf line, `host replication all 127.0.0.1/32 trust`
# (the same trust the cluster already gives every local TCP connection), then pg_reload_conf(). Nothing else: the
# primary's default wal_level=replica and max_wal_senders=10 suffice. The replica uses no replication slot, so a
# replica left stopped never makes the primary keep WAL.
set -euo pipefail

PRIMARY_HOST=${PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
PORT=${REPLICA_PORT:-5433}
DIR=${REPLICA_DIR:-/tmp/marketgraph-replica-$PORT}
BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}
psql_primary() { psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -tAc "$1"; }

# The server refuses to run as root: run its tools as the user that owns the primary's data (postgres).
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    local owner
    owner=$(stat -c %U "$(psql_primary 'SHOW data_directory')" 2>/dev/null || echo postgres)
    runuser -u "$owner" -- "$@"
  else
    "$@"
  fi
}

if [ "${1:-}" = stop ]; then
  [ -f "$DIR/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$DIR" -m fast stop
  exit 0
fi

if pg_isready -q -h 127.0.0.1 -p "$PORT"; then
  [ "$(psql -h 127.0.0.1 -p "$PORT" -U postgres -tAc 'SELECT pg_is_in_recovery()')" = t ] \
    || { echo "port $PORT answers but is not a replica" >&2; exit 1; }
  echo "replica already running on 127.0.0.1:$PORT"
  exit 0
fi

if [ ! -f "$DIR/standby.signal" ]; then
  hba=$(psql_primary 'SHOW hba_file')
  if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]' "$hba"; then
    echo "adding a replication line for 127.0.0.1 to $hba and reloading"
    printf '\n# marketgraph scripts/start-replica.sh: local streaming replicas for tests\nhost replication all 127.0.0.1/32 trust\n' >>"$hba"
    psql_primary 'SELECT pg_reload_conf()' >/dev/null
    sleep 1
  fi
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown "$(stat -c %U "$(psql_primary 'SHOW data_directory')")" "$DIR"
  chmod 700 "$DIR"
  # -R writes standby.signal and primary_conninfo; -X stream copies the WAL the backup needs as it goes.
  as_owner "$BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -D "$DIR" -R -X stream -c fast
  # Debian keeps postgresql.conf and pg_hba.conf outside the data folder: give the replica its own.
  as_owner sh -c "cat >'$DIR/postgresql.conf' <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
hot_standby = on
max_connections = 100
shared_buffers = 32MB
logging_collector = off
CONF
printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >'$DIR/pg_hba.conf'"
fi

as_owner "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 start >/dev/null
pg_isready -h 127.0.0.1 -p "$PORT"
echo "replica of $PRIMARY_HOST:$PRIMARY_PORT on 127.0.0.1:$PORT (data $DIR); TEST_STOCK_REPLICA_URL=postgres://postgres@127.0.0.1:$PORT/marketgraph_test_stock"
