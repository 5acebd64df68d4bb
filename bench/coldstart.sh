#!/usr/bin/env bash
# Cold start: what the first requests of a fresh API process pay, and where (bench/coldstart.py --help; ADR 0052).
set -euo pipefail
exec python3 "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/coldstart.py" "$@"
