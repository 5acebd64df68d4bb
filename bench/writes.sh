#!/usr/bin/env bash
# The write benchmark: bench/writes.sh [--scale 10k] [--duration 8] [--runs 3] [--before DIR] [--skip-build]
# Creates with Idempotency-Key, updates with If-Match, backdated creates; see bench/writes.py.
set -euo pipefail
exec python3 "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/writes.py" "$@"
