#!/usr/bin/env bash
# The import benchmark: bench/import.sh [--rows 10000] [--skip-build]. See bench/import.py.
set -euo pipefail
exec python3 "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/import.py" "$@"
