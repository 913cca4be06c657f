#!/usr/bin/env bash
# Starts a 3-master Redis Cluster (no replicas) on loopback ports, for the Cluster tests (TEST_REDIS_CLUSTER_NODES)
# and for trying the app on a cluster (REDIS_CLUSTER_NODES). Idempotent: a cluster that already answers
# `cluster_state:ok` is left alone; a node that is down is started again (it rejoins with its slots), and the slots
# are assigned once, on first start.
# Optionally a Sentinel over the local single Redis (127.0.0.1:6379, master name `mg-local`) for the Sentinel test.
#
#   scripts/start-redis-cluster.sh                 # ports 7101 7102 7103, files in /tmp/marketgraph-redis-cluster
#   CLUSTER_PORTS="7201 7202 7203" scripts/start-redis-cluster.sh
#   SENTINEL_PORT=26379 scripts/start-redis-cluster.sh   # also a sentinel on 26379 watching 127.0.0.1:6379
#   scripts/start-redis-cluster.sh stop            # shuts the nodes down (with SENTINEL_PORT, the sentinel too), removes the files
#
# Prints the variables to export, e.g. `eval "$(scripts/start-redis-cluster.sh)"`:
#   TEST_REDIS_CLUSTER_NODES=127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103
#   TEST_REDIS_SENTINELS=127.0.0.1:26379 TEST_REDIS_SENTINEL_NAME=mg-local (with SENTINEL_PORT)
# Nothing is persisted (--save "" --appendonly no): a restart is an empty cluster.
set -euo pipefail

PORTS=${CLUSTER_PORTS:-7101 7102 7103}
DIR=${CLUSTER_DIR:-/tmp/marketgraph-redis-cluster}
SENTINEL_PORT=${SENTINEL_PORT:-}
SENTINEL_MASTER=${SENTINEL_MASTER:-127.0.0.1:6379}
SENTINEL_NAME=${SENTINEL_NAME:-mg-local}

answers() { redis-cli -h 127.0.0.1 -p "$1" ping >/dev/null 2>&1; }

if [ "${1:-}" = stop ]; then
  for port in $PORTS ${SENTINEL_PORT}; do answers "$port" && redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
  rm -rf "$DIR"
  exit 0
fi

mkdir -p "$DIR"
for port in $PORTS; do
  answers "$port" && continue
  # A node that stopped comes back with its nodes-<port>.conf: same id, same slots, and it rejoins the others.
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --cluster-enabled yes \
    --cluster-config-file "$DIR/nodes-$port.conf" --cluster-node-timeout 5000 \
    --save "" --appendonly no --dir "$DIR" --logfile "$DIR/redis-$port.log" --pidfile "$DIR/redis-$port.pid" >/dev/null
done
for port in $PORTS; do
  for _ in $(seq 1 50); do answers "$port" && break; sleep 0.1; done
  answers "$port" || { echo "redis cluster node on port $port did not start (see $DIR/redis-$port.log)" >&2; exit 1; }
done

first=${PORTS%% *}
state() { redis-cli -h 127.0.0.1 -p "$first" cluster info 2>/dev/null | tr -d '\r' | sed -n 's/^cluster_state://p'; }
if [ "$(state)" != ok ]; then
  if [ "$(redis-cli -h 127.0.0.1 -p "$first" cluster info | tr -d '\r' | sed -n 's/^cluster_slots_assigned://p')" = 0 ]; then
    nodes=""
    for port in $PORTS; do nodes="$nodes 127.0.0.1:$port"; done
    # shellcheck disable=SC2086
    redis-cli --cluster create $nodes --cluster-replicas 0 --cluster-yes >"$DIR/create.log" 2>&1 \
      || { cat "$DIR/create.log" >&2; exit 1; }
  fi
  for _ in $(seq 1 100); do [ "$(state)" = ok ] && break; sleep 0.1; done
  [ "$(state)" = ok ] || { echo "redis cluster on $PORTS is not ok: $(redis-cli -h 127.0.0.1 -p "$first" cluster info | head -n1)" >&2; exit 1; }
fi
# Every node must agree before a client maps the slots (a fresh node may still be learning the others).
for port in $PORTS; do
  for _ in $(seq 1 100); do
    [ "$(redis-cli -h 127.0.0.1 -p "$port" cluster info | tr -d '\r' | sed -n 's/^cluster_state://p')" = ok ] && break
    sleep 0.1
  done
done

list=""
for port in $PORTS; do list="${list:+$list,}127.0.0.1:$port"; done
echo "export TEST_REDIS_CLUSTER_NODES=$list"

if [ -n "$SENTINEL_PORT" ]; then
  if ! answers "$SENTINEL_PORT"; then
    # Sentinel rewrites its config file: it must be a writable file of its own.
    printf 'port %s\nbind 127.0.0.1\ndir %s\nsentinel monitor %s %s %s 1\nsentinel down-after-milliseconds %s 5000\n' \
      "$SENTINEL_PORT" "$DIR" "$SENTINEL_NAME" "${SENTINEL_MASTER%%:*}" "${SENTINEL_MASTER##*:}" "$SENTINEL_NAME" >"$DIR/sentinel-$SENTINEL_PORT.conf"
    redis-server "$DIR/sentinel-$SENTINEL_PORT.conf" --sentinel --daemonize yes \
      --logfile "$DIR/sentinel-$SENTINEL_PORT.log" --pidfile "$DIR/sentinel-$SENTINEL_PORT.pid" >/dev/null
  fi
  for _ in $(seq 1 50); do
    redis-cli -h 127.0.0.1 -p "$SENTINEL_PORT" sentinel get-master-addr-by-name "$SENTINEL_NAME" 2>/dev/null | grep -q . && break
    sleep 0.1
  done
  redis-cli -h 127.0.0.1 -p "$SENTINEL_PORT" sentinel get-master-addr-by-name "$SENTINEL_NAME" | grep -q . \
    || { echo "sentinel on $SENTINEL_PORT does not know $SENTINEL_NAME (see $DIR/sentinel-$SENTINEL_PORT.log)" >&2; exit 1; }
  echo "export TEST_REDIS_SENTINELS=127.0.0.1:$SENTINEL_PORT"
  echo "export TEST_REDIS_SENTINEL_NAME=$SENTINEL_NAME"
fi
