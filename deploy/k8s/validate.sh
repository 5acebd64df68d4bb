#!/usr/bin/env bash
# Renders deploy/k8s with kustomize (kubectl's built-in) and validates every object: Kubernetes schemas through the
# npm packages kubernetes-models (types, required fields) and @kubernetes/client-node (unknown fields),
# CloudNativePG's Cluster by the fields used, and the project's rules (validate/validate.mjs).
# No cluster is needed. Needs kubectl 1.27+ (kustomize v5: the `labels` field; Debian's kubernetes-client 1.20 is too
# old) and node; installs the npm packages into deploy/k8s/validate/node_modules on first use.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if ! command -v kubectl >/dev/null 2>&1; then
  echo "ERROR: kubectl (1.27 or later, for its built-in kustomize v5) is needed to render the manifests" >&2
  exit 2
fi
if ! command -v node >/dev/null 2>&1; then
  echo "ERROR: node (and npm) are needed for the schema check" >&2
  exit 2
fi
if [[ ! -d $HERE/validate/node_modules/kubernetes-models || ! -d $HERE/validate/node_modules/@kubernetes/client-node ]]; then
  (cd "$HERE/validate" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

rendered=$(mktemp --suffix=.yaml)
trap 'rm -f "$rendered"' EXIT
kubectl kustomize "$HERE" > "$rendered"
echo "rendered $(grep -c '^kind:' "$rendered") objects with $(kubectl version --client 2>/dev/null | grep -i kustomize || echo kustomize)"
node "$HERE/validate/validate.mjs" "$rendered"
