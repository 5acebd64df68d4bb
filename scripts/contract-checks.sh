#!/usr/bin/env bash
# Checks of the OpenAPI contract that need more than `dotnet test`, against the document the service really serves:
#   1. Spectral: spectral:oas + @stoplight/spectral-owasp-ruleset (0 errors)      tools/contract/.spectral.yaml
#   2. Redocly: recommended rules (0 errors)                                       tools/contract/redocly.yaml
#   3. TypeScript client: openapi-typescript + openapi-fetch, tsc --strict, run    tools/contract/ts/client.ts
#   4. C# client: Kiota, built and run (list, page, by id, create with If-Match)   tools/contract/kiota/
#   5. Breaking changes: Optic, served document vs docs/openapi/v1.json at $LINKJ_CONTRACT_BASE (default HEAD)
#   6. Swagger UI: headless Chromium authorizes, "Try it out" → Execute with the prefilled example gets 201, and a
#      replace with only the ETag pasted into If-Match gets 200                   tools/contract/swagger-ui/
#
#   scripts/contract-checks.sh [--summary-file FILE]
#
# Starts what it needs: a throwaway PostgreSQL and the API (built if not yet), on free loopback ports; installs Node
# with apt-get when `node` is missing (and Chromium, for the Swagger UI check, when /usr/bin/chromium is) and the
# pinned npm packages (tools/contract/package-lock.json) with `npm ci`.
# Prints each check's duration and a summary; exits non-zero when a check failed. With --summary-file it also writes
# "<passed> <failed>" there (scripts/test.sh counts each check as a test) and the failed checks' names to FILE.failed.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/postgres.sh
source "$REPO/scripts/lib/postgres.sh"
TOOLS="$REPO/tools/contract"
OUT="$REPO/artifacts/contract"
SUMMARY_FILE=""
if [[ ${1:-} == --summary-file ]]; then SUMMARY_FILE=$2; fi
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 OPTIC_TELEMETRY_LEVEL=off NO_UPDATE_NOTIFIER=1 REDOCLY_TELEMETRY=off
mkdir -p "$OUT"

names=() results=() durations=()
passed=0 failed=0
# run_check NAME COMMAND...: runs it with its output in artifacts/contract/NAME.log, records pass/fail and duration.
run_check() {
  local name=$1 start end rc
  shift
  start=$(date +%s%N)
  "$@" >"$OUT/$name.log" 2>&1
  rc=$?
  end=$(date +%s%N)
  local seconds
  seconds=$(awk -v d=$((end - start)) 'BEGIN { printf "%.1f", d / 1e9 }')
  names+=("$name") durations+=("$seconds")
  if (( rc == 0 )); then
    results+=(passed); passed=$((passed + 1))
    printf '[contract] %-22s passed  %6ss\n' "$name" "$seconds"
  else
    results+=(FAILED); failed=$((failed + 1))
    printf '[contract] %-22s FAILED  %6ss (exit %s) — last lines of %s:\n' "$name" "$seconds" "$rc" "$OUT/$name.log"
    tail -n 25 "$OUT/$name.log" | sed 's/^/    /'
  fi
}

finish() {
  echo "[contract] summary: $passed passed, $failed failed (logs in $OUT)"
  for i in "${!names[@]}"; do
    printf '[contract]   %-22s %-7s %6ss\n' "${names[$i]}" "${results[$i]}" "${durations[$i]}"
  done
  if [[ -f $OUT/response-validation.txt ]]; then
    echo "[contract] dotnet test: $(cat "$OUT/response-validation.txt")"
  fi
  if [[ -n $SUMMARY_FILE ]]; then
    echo "$passed $failed" >"$SUMMARY_FILE"
    : >"$SUMMARY_FILE.failed" # the failed checks' names, one a line (scripts/test.sh lists them at its end)
    for i in "${!names[@]}"; do
      if [[ ${results[$i]} == FAILED ]]; then echo "${names[$i]} (see $OUT/${names[$i]}.log)" >>"$SUMMARY_FILE.failed"; fi
    done
  fi
}

fail_setup() {
  echo "[contract] ERROR: $*" >&2
  names+=(setup) results+=(FAILED) durations+=(0) failed=$((failed + 1))
  finish
  exit 1
}

# --- services: PostgreSQL and the API -----------------------------------------------------
PG_TMP="" API_PID=""
cleanup() {
  if [[ -n $API_PID ]]; then kill "$API_PID" 2>/dev/null; wait "$API_PID" 2>/dev/null; fi
  if [[ -n $PG_TMP ]]; then pg_stop_cluster "$PG_TMP/data" >/dev/null 2>&1; rm -rf "$PG_TMP"; fi
}
trap cleanup EXIT

setup_start=$(date +%s)
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "[contract] node is missing: installing Debian's nodejs and npm"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; } >"$OUT/node-install.log" 2>&1 \
    || fail_setup "could not install Node (see $OUT/node-install.log)"
fi

if [[ ! -x /usr/bin/chromium ]]; then
  echo "[contract] chromium is missing: installing Debian's chromium (for the Swagger UI check)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >"$OUT/chromium-install.log" 2>&1 \
    || fail_setup "could not install Chromium (see $OUT/chromium-install.log)"
fi

# node_modules/.linkj-lock: the package-lock.json the installed packages came from.
if ! cmp -s "$TOOLS/package-lock.json" "$TOOLS/node_modules/.linkj-lock" 2>/dev/null; then
  echo "[contract] installing the pinned npm packages (npm ci)"
  (cd "$TOOLS" && npm ci --no-audit --no-fund && cp package-lock.json node_modules/.linkj-lock) >"$OUT/npm-ci.log" 2>&1 \
    || fail_setup "npm ci failed (see $OUT/npm-ci.log)"
fi

API_DLL="$REPO/src/LinkJ.Api/bin/Release/net10.0/LinkJ.Api.dll"
if [[ ! -f $API_DLL ]]; then
  echo "[contract] building the API"
  dotnet build "$REPO/src/LinkJ.Api" -c Release >"$OUT/build.log" 2>&1 || fail_setup "the API does not build (see $OUT/build.log)"
fi

pg_ensure_binaries >/dev/null || fail_setup "no PostgreSQL server binaries"
PG_TMP=$(mktemp -d /tmp/linkj-contract-pg.XXXXXX)
chmod 755 "$PG_TMP"
if [[ $EUID -eq 0 ]]; then chown postgres: "$PG_TMP"; fi
pg_port=$(pg_free_port)
pg_start_cluster "$PG_TMP/data" "$pg_port" no >"$OUT/postgres.log" 2>&1 || fail_setup "PostgreSQL did not start (see $OUT/postgres.log)"
api_port=$(pg_free_port)
BASE_URL="http://127.0.0.1:$api_port"
export ConnectionStrings__LinkJ="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
# Metrics on the API's own port: their default port (9464) may be taken by another API on this machine.
export Observability__Prometheus__Port=0
(cd "$(dirname "$API_DLL")" && exec dotnet LinkJ.Api.dll --urls "$BASE_URL") >"$OUT/api.log" 2>&1 &
API_PID=$!
for _ in $(seq 1 120); do
  curl -sf "$BASE_URL/health/ready" >/dev/null 2>&1 && break
  kill -0 "$API_PID" 2>/dev/null || fail_setup "the API stopped (see $OUT/api.log)"
  sleep 0.5
done
curl -sf "$BASE_URL/swagger/v1/swagger.json" -o "$OUT/served.json" || fail_setup "the API did not serve its OpenAPI document (see $OUT/api.log)"
API_KEY=$(cd "$(dirname "$API_DLL")" && dotnet LinkJ.Api.dll keys create --name contract-checks --scopes agreements:write 2>/dev/null | tail -n 1)
[[ $API_KEY == lj_* ]] || fail_setup "could not create an API key"
# The Swagger UI check creates a partner too, so its key also has partners:write.
UI_API_KEY=$(cd "$(dirname "$API_DLL")" && dotnet LinkJ.Api.dll keys create --name contract-swagger-ui --scopes partners:write,agreements:write 2>/dev/null | tail -n 1)
[[ $UI_API_KEY == lj_* ]] || fail_setup "could not create an API key for the Swagger UI check"
export LINKJ_BASE_URL=$BASE_URL LINKJ_API_KEY=$API_KEY
echo "[contract] setup (node, npm packages, PostgreSQL, API on $BASE_URL) took $(( $(date +%s) - setup_start ))s"

# --- the checks ---------------------------------------------------------------------------
DOC="$OUT/served.json"
cd "$TOOLS" || exit 1

run_check spectral npx --no-install spectral lint --ruleset .spectral.yaml --fail-severity error --format text "$DOC"
run_check redocly npx --no-install redocly lint --config redocly.yaml "$DOC"

typescript_client() {
  rm -rf generated build && mkdir -p generated &&
    npx --no-install openapi-typescript "$DOC" -o generated/linkj.ts &&
    npx --no-install tsc -p tsconfig.json &&
    node build/ts/ts/client.js
}
run_check typescript-client typescript_client

csharp_client() {
  local project="$TOOLS/kiota"
  rm -rf "$project/Generated" &&
    (cd "$REPO" && dotnet tool restore >/dev/null) &&
    (cd "$REPO" && dotnet kiota generate --language CSharp --openapi "$DOC" --output "$project/Generated" \
      --class-name LinkJClient --namespace-name LinkJ.Contract.Client --exclude-backward-compatible --log-level Warning) &&
    dotnet build "$project" -c Release -o "$project/bin/out" -p:TreatWarningsAsErrors=false &&
    dotnet "$project/bin/out/LinkJ.Contract.KiotaClient.dll"
}
if [[ -d $TOOLS/kiota ]]; then run_check csharp-client csharp_client; fi

breaking_changes() {
  local base_ref=${LINKJ_CONTRACT_BASE:-HEAD}
  if ! git -C "$REPO" cat-file -e "$base_ref:docs/openapi/v1.json" 2>/dev/null; then
    echo "no docs/openapi/v1.json at $base_ref: nothing to compare with"
    return 0
  fi
  git -C "$REPO" show "$base_ref:docs/openapi/v1.json" >"$OUT/base.json" &&
    echo "served document vs docs/openapi/v1.json at $base_ref" &&
    npx --no-install optic diff "$OUT/base.json" "$DOC" --check
}
run_check breaking-changes breaking_changes

run_check swagger-ui-try-it-out node swagger-ui/try-it-out.mjs "$BASE_URL" "$UI_API_KEY"

finish
(( failed == 0 ))
