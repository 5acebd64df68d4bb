#!/bin/sh
# docker-entrypoint-initdb.d script of the compose primary (runs once, when the data directory is created): lets the
# standby connect for streaming replication, with a password. The image's own rule ("host all all all") does not
# cover replication connections.
set -eu
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
