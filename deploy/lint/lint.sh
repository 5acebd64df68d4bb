#!/usr/bin/env bash
# Offline checks of the container files: docker-compose.yml against the Compose schema and dclint's rules (errors fail,
# warnings are printed), deploy/Dockerfile with dockerfile-utils (unknown instructions, bad arguments). No Docker engine
# is needed. Installs the pinned npm packages into deploy/lint/node_modules on first use.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
if [[ ! -x $HERE/node_modules/.bin/dclint || ! -x $HERE/node_modules/.bin/dockerfile-utils ]]; then
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
status=0
echo "docker-compose.yml (dclint):"
"$HERE/node_modules/.bin/dclint" "$REPO/docker-compose.yml" || status=1
echo "deploy/Dockerfile (dockerfile-utils lint):"
if "$HERE/node_modules/.bin/dockerfile-utils" lint "$REPO/deploy/Dockerfile"; then
  echo "  no problems"
else
  status=1
fi
exit $status
