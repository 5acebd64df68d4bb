#!/bin/sh
# Entrypoint of the compose standby (postgres:15-alpine): on the first start, clone the primary with pg_basebackup
# (-R writes primary_conninfo and standby.signal, -X stream brings the WAL the copy needs); on every start, run
# PostgreSQL through the image's own entrypoint as a hot standby that streams from the primary.
set -eu
: "${PRIMARY_HOST:?}" "${POSTGRES_USER:?}" "${PGPASSWORD:?}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  until su-exec postgres pg_isready -q -h "$PRIMARY_HOST" -U "$POSTGRES_USER"; do
    echo "standby: waiting for the primary at $PRIMARY_HOST"
    sleep 1
  done
  su-exec postgres pg_basebackup -h "$PRIMARY_HOST" -U "$POSTGRES_USER" -D "$PGDATA" -R -X stream --checkpoint=fast
  echo "standby: cloned the primary"
fi

exec docker-entrypoint.sh postgres -c hot_standby=on
