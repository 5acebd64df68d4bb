#!/usr/bin/env bash
# Where a write's time goes: bench/writes-profile.sh [--build DIR] [--seconds 8] [--pg-option commit_delay=200]; see bench/writes_profile.py.
set -euo pipefail
exec python3 "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/writes_profile.py" "$@"
