#!/usr/bin/env bash
# Every proof that README.md or docs/ claims, run to the end, each failing the run when it fails:
#   manifests   deploy/k8s/validate.sh          Kubernetes schemas and the project's rules, offline, and its self-test
#   containers  deploy/lint/lint.sh             docker-compose.yml (Compose schema, dclint) and deploy/Dockerfile
#   cluster     scripts/cluster.sh prove        two API replicas, HAProxy, a streaming standby: cross-replica guarantees
#   bench       bench/run.sh --scale 1k         a short benchmark: every scenario runs, 0 errors, creates stored once
#   soak        bench/soak.sh                   a short soak: 0 server errors, stored = acknowledged, feed = tables
#   webhooks    bench/webhooks.sh               a short delivery bench: every event reaches all 10 loopback receivers, a slow one too
# The benchmark and soak figures are printed, never asserted (shared, noisy machines); only their checks count.
#
#   scripts/proofs.sh [NAME...]      run all, or only the named ones
# Prints each proof's duration and ends with "proofs: N passed, N failed"; exits non-zero when one failed.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOG_DIR="$REPO/artifacts/proofs"
mkdir -p "$LOG_DIR"

all=(manifests containers cluster bench soak webhooks)
selected=("$@")
(( ${#selected[@]} > 0 )) || selected=("${all[@]}")

run_proof() {
  case $1 in
    manifests) bash "$REPO/deploy/k8s/validate.sh" && bash "$REPO/deploy/k8s/validate/selftest.sh" ;;
    containers) bash "$REPO/deploy/lint/lint.sh" ;;
    cluster)
      # A cluster of its own (ports and data apart from a developer's), always torn down.
      export LINKJ_CLUSTER_DIR=${LINKJ_CLUSTER_DIR:-/tmp/linkj-ci-cluster} LINKJ_CLUSTER_PORT=${LINKJ_CLUSTER_PORT:-56500}
      local rc=0
      python3 "$REPO/scripts/cluster.py" prove || rc=$?
      python3 "$REPO/scripts/cluster.py" down --purge >/dev/null 2>&1 || true
      return $rc
      ;;
    bench) python3 "$REPO/bench/bench.py" --scale 1k --runs 1 --duration 2 --connections 16 ;;
    soak) python3 "$REPO/bench/soak.py" --duration 30 --scale 1k --connections 8 ;;
    webhooks) python3 "$REPO/bench/webhooks.py" --events 10 --burst 100 ;;
    *) echo "unknown proof '$1' (known: ${all[*]})" >&2; return 2 ;;
  esac
}

passed=0 failed=0
summary=()
for name in "${selected[@]}"; do
  log="$LOG_DIR/$name.log"
  echo "=== proof: $name (log: ${log#"$REPO"/})"
  started=$(date +%s)
  if run_proof "$name" >"$log" 2>&1; then
    result=passed
    passed=$((passed + 1))
  else
    result=FAILED
    failed=$((failed + 1))
  fi
  seconds=$(( $(date +%s) - started ))
  # What the proof printed last: its own summary, table or check.
  tail -n 25 "$log" | sed 's/^/    /'
  echo "=== proof: $name $result in ${seconds} s"
  summary+=("$(printf '%-11s %-7s %5d s' "$name" "$result" "$seconds")")
done

echo
echo "Proofs:"
printf '  %s\n' "${summary[@]}"
echo "proofs: $passed passed, $failed failed"
(( failed == 0 ))
