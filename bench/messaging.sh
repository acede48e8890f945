#!/usr/bin/env bash
# Messaging under load on a release build: CLIENTS people with one live WebSocket each,
# in groups of 8, sending RATE messages a second for SECONDS.
# Usage: bash bench/messaging.sh [CLIENTS] [RATE] [SECONDS] [SETUP]
#   SETUP: sqlite (default), postgres or two-nodes (bench/nodes.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-10000} rate=${2:-2000} seconds=${3:-30}
source bench/nodes.sh
bench_setup "${4:-sqlite}"
bench_start
target/release/huddle-bench messaging "$urls" "$clients" "$rate" "$seconds" 8 "$pids"
