#!/usr/bin/env bash
# Proves that deploy/k8s/validate.sh can fail: runs it on a copy of the deployment files (which must pass), then on
# copies with one violation each, and expects each of those to fail with its own PROBLEM line. Offline, like
# validate.sh. Exit status 0 when every case behaved, 1 otherwise.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
K8S=$(cd "$HERE/.." && pwd)
REPO=$(cd "$K8S/../.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fresh_copy() {
  rm -rf "$WORK/case"
  mkdir -p "$WORK/case/k8s"
  cp "$K8S"/*.yaml "$WORK/case/k8s/"
  cp "$REPO/docker-compose.yml" "$REPO/deploy/Dockerfile" "$WORK/case/"
}

# replace FILE FROM TO: FROM must occur in FILE (else the case would prove nothing).
replace() {
  node -e '
    const fs = require("fs");
    const [file, from, to] = process.argv.slice(1);
    const text = fs.readFileSync(file, "utf8");
    if (!text.includes(from)) { console.error(`selftest: ${JSON.stringify(from)} not in ${file}`); process.exit(3); }
    fs.writeFileSync(file, text.split(from).join(to));
  ' "$WORK/case/$1" "$2" "$3"
}

run_validate() {
  "$K8S/validate.sh" --k8s "$WORK/case/k8s" --compose "$WORK/case/docker-compose.yml" --dockerfile "$WORK/case/Dockerfile" > "$WORK/out" 2>&1
}

failures=0
cases=0

fresh_copy
if run_validate; then
  echo "selftest ok: the unchanged files pass"
else
  echo "selftest FAILED: the unchanged files do not pass:"; cat "$WORK/out"; failures=$((failures + 1))
fi

# expect_failure NAME EXPECTED-PROBLEM-TEXT: the current case must fail, naming the problem.
expect_failure() {
  cases=$((cases + 1))
  local status=0
  run_validate || status=$?
  if [[ $status -eq 1 ]] && grep -F "PROBLEM" "$WORK/out" | grep -qF -- "$2"; then
    echo "selftest ok: $1 → fails with \"$2\""
  else
    echo "selftest FAILED: $1 → exit $status, expected a PROBLEM with \"$2\":"; grep -E "PROBLEM|ERROR" "$WORK/out" || tail -5 "$WORK/out"
    failures=$((failures + 1))
  fi
}

# Item 16: the connection budget.
fresh_copy; replace k8s/api-deployment.yaml ";Maximum Pool Size=20" ""
expect_failure "API pools without Maximum Pool Size (Npgsql's 100)" "connection budget exceeded"
fresh_copy; replace k8s/api-hpa.yaml "maxReplicas: 6" "maxReplicas: 12"
expect_failure "HPA maximum raised to 12" "connection budget exceeded"
fresh_copy; replace k8s/postgres-cluster.yaml 'max_connections: "200"' 'max_connections: "100"'
expect_failure "max_connections lowered to 100" "connection budget exceeded"

# Item 17: durability.
fresh_copy; replace k8s/postgres-cluster.yaml "      number: 1" "      number: 0"
expect_failure "asynchronous replication" "replication is asynchronous"
fresh_copy; replace k8s/postgres-cluster.yaml "  instances: 3" "  instances: 2"
expect_failure "synchronous with a single replica" "stops every write while one replica is down"
fresh_copy; replace k8s/postgres-cluster.yaml "barmanObjectStore:" "barmanObjectStoreDisabled:"
expect_failure "no WAL archive" "no WAL archive"
fresh_copy; replace k8s/postgres-cluster.yaml "      destinationPath: s3://linkj-db-backups/linkj-db" ""
expect_failure "WAL archive without a destination" "no WAL archive"
fresh_copy; replace k8s/postgres-cluster.yaml "kind: ScheduledBackup" "kind: Backup"
expect_failure "no scheduled base backup" "no ScheduledBackup"
fresh_copy; replace k8s/postgres-cluster.yaml "postgresql:15.13" "postgresql:15"
expect_failure "a floating PostgreSQL image tag" "is not pinned"
fresh_copy; replace k8s/kustomization.yaml 'newTag: "0.1.0"' 'newTag: "latest"'
expect_failure "the API image on latest" "is not pinned"

# Item 18: trust (k8s).
fresh_copy; replace k8s/kustomization.yaml "ReverseProxy__KnownNetworks__0=10.244.250.0/24" "ReverseProxy__KnownNetworks__0=10.0.0.0/8"
expect_failure "forwarded headers trusted from 10.0.0.0/8" "forwarded headers trusted from 10.0.0.0/8"
fresh_copy; replace k8s/kustomization.yaml "  - network-policies.yaml" ""
expect_failure "no NetworkPolicy" "no default-deny NetworkPolicy"
fresh_copy; replace k8s/network-policies.yaml "              kubernetes.io/metadata.name: ingress-nginx" "              kubernetes.io/metadata.name: default"
expect_failure "the API's http port open to another namespace" "port http admitted from"
fresh_copy; replace k8s/network-policies.yaml "              app.kubernetes.io/name: linkj-migrate" "              app.kubernetes.io/name: anything"
expect_failure "the database open to other pods" "port 5432 admitted from"
fresh_copy; replace k8s/api-deployment.yaml "Username=linkj_api;" "Username=linkj;"
expect_failure "the API connecting as the schema's owner" "who owns the schema"
fresh_copy; replace k8s/postgres-cluster.yaml "          - pg_write_all_data" "          - pg_write_all_data
          - linkj"
expect_failure "the API's role a member of the owner" "must be a managed login role"

# Item 18: compose.
fresh_copy; replace docker-compose.yml '"127.0.0.1:55433:5432"' '"55433:5432"'
expect_failure "the standby's port on every interface" "published on every interface"
fresh_copy; replace docker-compose.yml 'PGPASSWORD: ${LINKJ_DB_PASSWORD:?set LINKJ_DB_PASSWORD}' 'PGPASSWORD: ${LINKJ_DB_PASSWORD:-linkj-dev-only}'
expect_failure "a defaulted password" "committed or defaulted password"
fresh_copy; replace docker-compose.yml 'Host=postgres-standby;' 'Host=postgres;'
expect_failure "the API not reading through the standby" "must name the standby"
fresh_copy; replace docker-compose.yml "    image: postgres:15-alpine
    restart: unless-stopped
    environment:
      POSTGRES_DB" "    image: postgres:15-alpine
    environment:
      POSTGRES_DB"
expect_failure "no restart policy" "no restart policy"

# Item 9: the image's version.
fresh_copy; replace Dockerfile " -p:SourceRevisionId=\$SOURCE_REVISION" ""
expect_failure "the revision not passed to the build" "ARG SOURCE_REVISION"

echo "selftest: $cases violation(s) tried, $failures failure(s) of the self-test"
exit $((failures > 0 ? 1 : 0))
