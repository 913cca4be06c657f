#!/bin/sh
# Runs once, when stock_db's volume is initialised (docker-entrypoint-initdb.d): lets stock_replica stream from it.
set -e
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
