#!/usr/bin/env bash
# The soak test: bench/soak.sh [--duration 300] [--scale 10k] [--connections 16] [--write-percent 10] [--backdated 0]
#                              [--warmup 10] [--api DIR] [--skip-build] [--evidence [--slowest 15]]
# Builds Release, starts a throwaway durable PostgreSQL and the API, runs a read/write mix for the duration, then
# checks stored rows against acknowledged writes and the change feed against the tables. See docs/benchmarks.md.
set -euo pipefail
exec python3 "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/soak.py" "$@"
