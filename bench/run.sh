#!/usr/bin/env bash
# The benchmark: bench/run.sh --scale 1k|10k|100k|1m [--duration 10] [--runs 3] [--connections 32]
# Builds Release, starts a throwaway PostgreSQL, the API and the baseline, generates the data and prints the table.
set -euo pipefail
exec python3 "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bench.py" "$@"
