#!/usr/bin/env bash
# A local cluster on loopback, no Docker: PostgreSQL primary + streaming standby, API replicas, HAProxy in front.
#   scripts/cluster.sh up [--replicas 2] | status | prove | down [--purge]      (see scripts/cluster.py and docs/operations.md)
set -euo pipefail
exec python3 "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cluster.py" "$@"
