#!/usr/bin/env bash
# Run the LinkJ API locally.
#
#   scripts/run.sh [APP ARGS...]   start (or reuse) a local PostgreSQL, then `dotnet run` the API
#   scripts/run.sh --stop-db       stop the local PostgreSQL started by this script
#   scripts/run.sh keys create --name NAME --scopes agreements:write[,partners:write|admin]
#   scripts/run.sh keys list | keys revoke PREFIX   manage API keys on the same database
#   scripts/run.sh migrate         apply the migrations and seed data, then exit (what a release job runs)
#
# Environment:
#   ConnectionStrings__LinkJ  if set, used as is and no local PostgreSQL is started
#   LINKJ_PG_PORT             port of the local PostgreSQL (default 55432)
#   LINKJ_PG_DATA             its data directory (default: <repo>/.data/postgres, kept between runs)
#   LINKJ_URLS                URLs the API listens on (default http://localhost:5080)
#   PublicBaseUrl             where clients reach the API, for absolute links (default: the first of LINKJ_URLS)
#   AllowedHosts              Host names the API answers (default: localhost;127.0.0.1;[::1])
#   Observability__Prometheus__Port   the port /metrics is served on, never the API's (default 9464)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/postgres.sh
source "$REPO/scripts/lib/postgres.sh"

PG_DATA=${LINKJ_PG_DATA:-$REPO/.data/postgres}
PG_PORT=${LINKJ_PG_PORT:-55432}
URLS=${LINKJ_URLS:-http://localhost:5080}

case "${1:-}" in
  --stop-db)
    pg_stop_cluster "$PG_DATA"
    exit 0
    ;;
  -h | --help)
    sed -n '2,15s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
    exit 0
    ;;
esac

if ! command -v dotnet >/dev/null 2>&1; then
  echo "ERROR: the .NET SDK ('dotnet') is not on PATH; install the .NET 10 SDK first." >&2
  exit 1
fi

if [[ -n ${ConnectionStrings__LinkJ:-} ]]; then
  echo "Using ConnectionStrings__LinkJ from the environment."
else
  # Local durable PostgreSQL whose data survives between runs.
  pg_ensure_binaries
  pg_start_cluster "$PG_DATA" "$PG_PORT" yes

  psql_cmd=("$PG_BIN/psql" -X -w -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres)
  if [[ $("${psql_cmd[@]}" -Atc "select 1 from pg_database where datname = 'linkj'") != 1 ]]; then
    echo "Creating database 'linkj'."
    "${psql_cmd[@]}" -c "create database linkj"
  fi

  export ConnectionStrings__LinkJ="Host=127.0.0.1;Port=$PG_PORT;Database=linkj;Username=postgres"
  echo "PostgreSQL: 127.0.0.1:$PG_PORT, database linkj (data in $PG_DATA)."
  echo "It keeps running after the API stops; stop it with: scripts/run.sh --stop-db"
fi

# `scripts/run.sh keys ...` manages API keys on the same database instead of serving; `migrate` migrates and exits.
if [[ ${1:-} == keys || ${1:-} == migrate ]]; then
  exec dotnet run --project "$REPO/src/LinkJ.Api" -c Release -- "$@"
fi

# Swagger lives on the first URL; show wildcard hosts (+, *, 0.0.0.0, [::]) as localhost.
first_url=${URLS%%;*}
first_url=$(sed -E 's#//(\+|\*|0\.0\.0\.0|\[::\])#//localhost#' <<<"${first_url%/}")
echo "Swagger UI: $first_url/swagger  (Ctrl-C stops the API)"
export PublicBaseUrl=${PublicBaseUrl:-$first_url/}
export AllowedHosts=${AllowedHosts:-localhost;127.0.0.1;[::1]}

exec dotnet run --project "$REPO/src/LinkJ.Api" -c Release -- --urls "$URLS" "$@"
