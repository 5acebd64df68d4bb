#!/usr/bin/env bash
# The webhook delivery benchmark: bench/webhooks.sh [--events 40] [--rate 2] [--burst 300] [--skip-build]
# Latency commit -> receiver (p50/p99), throughput to 10 loopback receivers, a 10 s receiver's effect; see bench/webhooks.py.
set -euo pipefail
exec python3 "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/webhooks.py" "$@"
