#!/bin/sh
# stock_replica: a streaming replica of stock_db. The first start copies the primary (pg_basebackup -R writes
# standby.signal and primary_conninfo); later starts resume streaming from where the replica stopped.
set -e
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_basebackup -h stock_db -U "$POSTGRES_USER" -D "$PGDATA" -R -X stream; do
    echo "waiting for stock_db to accept a base backup"; sleep 2
  done
  chmod 700 "$PGDATA"
fi
exec postgres
