#!/usr/bin/env bash
# Two builds' writes side by side: bench/writes-ab.sh --before DIR [--after DIR] [--rounds 4] [--seconds 5]; see bench/writes_ab.py.
set -euo pipefail
exec python3 "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/writes_ab.py" "$@"
