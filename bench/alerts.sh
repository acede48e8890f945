#!/usr/bin/env bash
# The routing live path on a release build: alerts in through the API, interrupts out on
# physicians' live sockets.
# Usage: bash bench/alerts.sh [RATE] [SECONDS] [PHYSICIANS] [SETUP]
#   SETUP: sqlite (default), postgres or two-nodes (bench/nodes.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-500} seconds=${2:-30} physicians=${3:-40}
source bench/nodes.sh
bench_setup "${4:-sqlite}"
password="bench password that is long"
echo "$password" | bench_admin create-user --email bench-admin@example.org \
  --name "Bench Admin" --role org_admin --organization "Bench Hospital" --password-stdin >/dev/null
for i in $(seq 0 $((physicians - 1))); do
  echo "$password" | bench_admin create-user --email "bench-p$i@example.org" \
    --name "Dr. Bench $i" --role physician --organization "Bench Hospital" --password-stdin >/dev/null
done
bench_start
target/release/huddle-bench alerts "$urls" "$rate" "$seconds" "$physicians" "$pids"
