#!/usr/bin/env bash
# Checks the deployment files offline (no cluster, no Docker) and exits non-zero when any check fails:
#  1. deploy/k8s, rendered with kustomize (kubectl's built-in): every object against the Kubernetes schemas (npm packages
#     kubernetes-models: types, required fields; @kubernetes/client-node: unknown fields), CloudNativePG's Cluster by the
#     fields used, the project's rules, and the operations rules of issue 15 (validate/operations.mjs): the connection
#     budget, synchronous replication, backups and WAL archiving, pinned images, forwarded headers from the ingress only,
#     NetworkPolicies, an API role without DDL rights;
#  2. docker-compose.yml and deploy/Dockerfile (validate/local.mjs): the standby wired as the read route, ports on
#     loopback, passwords required from the environment, restart policies; the image's version and source revision.
# Prints every check it made ("ok: ..." or "PROBLEM ...").
#
#   deploy/k8s/validate.sh [--k8s DIR] [--compose FILE] [--dockerfile FILE]     (defaults: this repository's)
#   deploy/k8s/validate/selftest.sh                                             (proves each check can fail)
#
# Needs kubectl 1.27+ (kustomize v5: the `labels` field; Debian's kubernetes-client 1.20 is too old) and node. The npm
# packages are installed into deploy/k8s/validate/node_modules from package-lock.json on first use (npm ci: the npm
# registry, or an npm cache filled beforehand with the same command, for a machine without network).
# Exit status: 0 all valid, 1 a check failed, 2 a tool is missing.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
K8S=$HERE
COMPOSE=$REPO/docker-compose.yml
DOCKERFILE=$REPO/deploy/Dockerfile
while [[ $# -gt 0 ]]; do
  case $1 in
    --k8s) K8S=$2; shift 2 ;;
    --compose) COMPOSE=$2; shift 2 ;;
    --dockerfile) DOCKERFILE=$2; shift 2 ;;
    *) echo "usage: $0 [--k8s DIR] [--compose FILE] [--dockerfile FILE]" >&2; exit 2 ;;
  esac
done

if ! command -v kubectl >/dev/null 2>&1; then
  echo "ERROR: kubectl (1.27 or later, for its built-in kustomize v5) is needed to render the manifests" >&2
  exit 2
fi
if ! command -v node >/dev/null 2>&1; then
  echo "ERROR: node (and npm) are needed for the schema check" >&2
  exit 2
fi
if [[ ! -d $HERE/validate/node_modules/kubernetes-models || ! -d $HERE/validate/node_modules/@kubernetes/client-node || ! -d $HERE/validate/node_modules/yaml ]]; then
  if ! (cd "$HERE/validate" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null); then
    echo "ERROR: could not install the npm packages of deploy/k8s/validate (npm ci): no registry and no npm cache?" >&2
    exit 2
  fi
fi

rendered=$(mktemp --suffix=.yaml)
trap 'rm -f "$rendered"' EXIT
kubectl kustomize "$K8S" > "$rendered"
echo "== $K8S: rendered $(grep -c '^kind:' "$rendered") objects with $(kubectl version --client 2>/dev/null | grep -i kustomize || echo kustomize)"
status=0
node "$HERE/validate/validate.mjs" "$rendered" || status=1
echo "== $COMPOSE, $DOCKERFILE"
node "$HERE/validate/local.mjs" "$COMPOSE" "$DOCKERFILE" || status=1
if [[ $status -eq 0 ]]; then echo "validate.sh: all checks passed"; else echo "validate.sh: FAILED"; fi
exit $status
