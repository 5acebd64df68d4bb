#!/usr/bin/env bash
# Run every test of the solution and end with the line "N passed, N failed, N skipped".
#
#   scripts/test.sh [extra `dotnet test` args...]
#
# Database for the integration tests (LINKJ_TEST_CONNECTION), first match wins:
#   1. LINKJ_TEST_CONNECTION already set: used as is;
#   2. a Docker engine answers: left unset, the test fixtures use Testcontainers;
#   3. otherwise: a throwaway, non-durable PostgreSQL in a temp dir on a free port, with a streaming
#      standby cloned from it (pg_basebackup -R, LINKJ_TEST_STANDBY_CONNECTION) for the read-route tests;
#      both stopped and deleted when this script exits.
# TRX results go to artifacts/test-results/.
# Exit status: dotnet test's own when it failed, else 1 when a test failed, no TRX
# file was produced, a TRX file could not be read or nothing passed, else 0.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/postgres.sh
source "$REPO/scripts/lib/postgres.sh"

RESULTS_DIR="$REPO/artifacts/test-results"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "ERROR: the .NET SDK ('dotnet') is not on PATH; install the .NET 10 SDK first." >&2
  echo "0 passed, 0 failed, 0 skipped"
  exit 1
fi

# --- database for the integration tests -----------------------------------------------
PG_TMP=""
cleanup_db() {
  if [[ -n $PG_TMP ]]; then
    pg_stop_cluster "$PG_TMP/standby" >/dev/null 2>&1 || true
    pg_stop_cluster "$PG_TMP/data" >/dev/null 2>&1 || true
    rm -rf "$PG_TMP"
    PG_TMP=""
  fi
}
trap cleanup_db EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -n ${LINKJ_TEST_CONNECTION:-} ]]; then
  echo "Tests use LINKJ_TEST_CONNECTION from the environment."
elif timeout 30 docker info >/dev/null 2>&1; then
  echo "A Docker engine answers: the tests start PostgreSQL with Testcontainers."
else
  if ! pg_ensure_binaries; then
    echo "0 passed, 0 failed, 0 skipped"
    exit 1
  fi
  # Under /tmp so the postgres OS user can reach it wherever the repo lives.
  PG_TMP=$(mktemp -d /tmp/linkj-test-pg.XXXXXX)
  chmod 755 "$PG_TMP"
  if [[ $EUID -eq 0 ]]; then chown postgres: "$PG_TMP"; fi
  # A free port can be taken by someone else before we bind it: each server gets three tries.
  start_primary() { pg_start_cluster "$PG_TMP/data" "$1" no; }
  start_standby() { pg_start_standby "$port" "$PG_TMP/standby" "$1" no; }
  # on_free_port START: runs START PORT on a free port, three times at most; prints the port it started on.
  on_free_port() {
    local candidate
    for _ in 1 2 3; do
      candidate=$(pg_free_port)
      if "$1" "$candidate" >&2; then
        echo "$candidate"
        return 0
      fi
    done
    return 1
  }
  if ! port=$(on_free_port start_primary); then
    echo "ERROR: could not start a throwaway PostgreSQL for the tests." >&2
    echo "0 passed, 0 failed, 0 skipped"
    exit 1
  fi
  export LINKJ_TEST_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Include Error Detail=true"
  echo "Tests use a throwaway PostgreSQL on 127.0.0.1:$port."
  if ! standby_port=$(on_free_port start_standby); then
    echo "ERROR: could not start the streaming standby for the read-route tests." >&2
    echo "0 passed, 0 failed, 0 skipped"
    exit 1
  fi
  export LINKJ_TEST_STANDBY_CONNECTION="Host=127.0.0.1;Port=$standby_port;Username=postgres;Database=postgres;Include Error Detail=true"
  echo "The read-route tests use its streaming standby on 127.0.0.1:$standby_port."
fi

# The fault tests start PostgreSQL clusters of their own: tell them where the server binaries are when we know.
if [[ -z ${LINKJ_PG_BIN:-} && -n ${PG_BIN:-} ]]; then
  export LINKJ_PG_BIN=$PG_BIN
fi

# --- Chromium for the browser tests (Pages/PartnershipsBrowserTests) ----------------------
# Debian's package: Playwright's own browser downloads are not reachable, and its driver ships in the NuGet package.
# Under CI=true the browser tests fail (never skip) when Chromium is missing.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [[ ! -x /usr/bin/chromium && $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing: installing Debian's chromium for the browser tests"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/tmp/linkj-chromium-install.log 2>&1 \
    || echo "WARNING: could not install Chromium (see /tmp/linkj-chromium-install.log): the browser tests will fail" >&2
fi

# --- run the tests ----------------------------------------------------------------------
mkdir -p "$RESULTS_DIR"
find "$RESULTS_DIR" \( -name '*.trx' -o -name '*.failed' -o -name 'failed-tests.txt' \) -type f -delete

test_rc=0
dotnet test "$REPO/LinkJ.Api.sln" -c Release --logger "trx" --results-directory "$RESULTS_DIR" "$@" || test_rc=$?

# Stop the throwaway server now, so nothing is printed after the summary line.
cleanup_db

# --- contract checks (lint, generated clients, breaking changes): each check counts as a test ---
# Skipped when a --filter narrows the run, or with LINKJ_CONTRACT_CHECKS=0.
contract_passed=0 contract_failed=0
if [[ ${LINKJ_CONTRACT_CHECKS:-1} != 0 && " $* " != *" --filter "* ]]; then
  "$REPO/scripts/contract-checks.sh" --summary-file "$RESULTS_DIR/contract-checks.txt" || true
  read -r contract_passed contract_failed <"$RESULTS_DIR/contract-checks.txt" 2>/dev/null || contract_failed=1
fi

# --- summarise every TRX file -----------------------------------------------------------
mapfile -t trx_files < <(find "$RESULTS_DIR" -name '*.trx' -type f | sort)

# Print the value of attribute $2 in the XML start tag $1 (0 when absent).
trx_attr() {
  local value
  value=$(sed -n "s/.*[[:space:]]$2=\"\([0-9]*\)\".*/\1/p" <<<"$1")
  echo "${value:-0}"
}

# Print "passed failed skipped unreadable" summed over the <Counters> element of the given
# TRX files. Errors, timeouts and aborts count as failures; skipped = total - executed;
# unreadable = files without a parsable <Counters> element.
sum_counters() {
  if python3 -c 'import xml.etree.ElementTree' >/dev/null 2>&1; then
    python3 - "$@" <<'PY'
import sys
import xml.etree.ElementTree as ET

passed = failed = skipped = unreadable = 0
for path in sys.argv[1:]:
    try:
        counters = next(el for el in ET.parse(path).getroot().iter()
                        if el.tag.rsplit("}", 1)[-1] == "Counters")
        n = lambda name: int(counters.get(name) or 0)
        passed += n("passed")
        failed += n("failed") + n("error") + n("timeout") + n("aborted")
        # xunit's skipped tests are counted in total but not executed (notExecuted stays 0).
        skipped += max(n("notExecuted"), n("total") - n("executed"))
    except Exception as e:  # truncated file, no <Counters>, bad number...
        print(f"cannot read counters from {path}: {e}", file=sys.stderr)
        unreadable += 1
print(passed, failed, skipped, unreadable)
PY
  else
    local f counters passed=0 failed=0 skipped=0 unreadable=0
    for f in "$@"; do
      counters=$(tr '\n' ' ' <"$f" | grep -o '<Counters[^>]*>' | head -n 1 || true)
      if [[ -z $counters ]]; then
        echo "cannot read counters from $f" >&2
        unreadable=$((unreadable + 1))
        continue
      fi
      passed=$((passed + $(trx_attr "$counters" passed)))
      failed=$((failed + $(trx_attr "$counters" failed) + $(trx_attr "$counters" error) \
        + $(trx_attr "$counters" timeout) + $(trx_attr "$counters" aborted)))
      skipped=$((skipped + $(trx_attr "$counters" total) - $(trx_attr "$counters" executed)))
    done
    echo "$passed $failed $skipped $unreadable"
  fi
}

passed=0 failed=0 skipped=0 unreadable=0
if (( ${#trx_files[@]} > 0 )); then
  read -r passed failed skipped unreadable < <(sum_counters "${trx_files[@]}") || true
  # Guard against empty output (e.g. the parser itself crashed).
  passed=${passed:-0} failed=${failed:-0} skipped=${skipped:-0} unreadable=${unreadable:-${#trx_files[@]}}
fi
passed=$((passed + contract_passed)) failed=$((failed + contract_failed))

# --- name what failed (test name and the first line of its message), also kept in failed-tests.txt -------------
# .ci/run prints that file again just before its last line, where a short view of the output still shows it.
FAILED_LIST="$RESULTS_DIR/failed-tests.txt"
: >"$FAILED_LIST"
if (( ${#trx_files[@]} > 0 )) && python3 -c 'import xml.etree.ElementTree' >/dev/null 2>&1; then
  python3 - "${trx_files[@]}" >"$FAILED_LIST" <<'PY' || true
import sys
import xml.etree.ElementTree as ET

for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except Exception:
        continue
    for result in root.iter():
        if result.tag.rsplit("}", 1)[-1] != "UnitTestResult" or result.get("outcome") in ("Passed", "NotExecuted"):
            continue
        message = next((el.text or "" for el in result.iter() if el.tag.rsplit("}", 1)[-1] == "Message"), "")
        first = " ".join(message.strip().splitlines()[:1])[:300]
        print(f"FAILED {result.get('testName')} ({result.get('duration')}): {first}")
PY
fi
if [[ -s $RESULTS_DIR/contract-checks.txt.failed ]]; then
  sed 's/^/FAILED contract check: /' "$RESULTS_DIR/contract-checks.txt.failed" >>"$FAILED_LIST"
fi
if [[ -s $FAILED_LIST ]]; then
  echo "Failed tests:"
  cat "$FAILED_LIST"
fi

problems=()
(( test_rc == 0 )) || problems+=("dotnet test exited with code $test_rc")
(( failed == 0 )) || problems+=("$failed test(s) failed")
(( ${#trx_files[@]} > 0 )) || problems+=("no TRX result file was produced in $RESULTS_DIR")
(( unreadable == 0 )) || problems+=("$unreadable TRX file(s) could not be read")
(( passed > 0 )) || problems+=("no test passed")

if (( ${#problems[@]} > 0 )); then
  printf 'ERROR: %s\n' "${problems[@]}" >&2
else
  echo "Results: ${#trx_files[@]} TRX file(s) in $RESULTS_DIR"
fi
echo "$passed passed, $failed failed, $skipped skipped"

if (( test_rc != 0 )); then
  exit "$test_rc"
elif (( ${#problems[@]} > 0 )); then
  exit 1
fi
