#!/usr/bin/env bash
# The insights dashboard for 10,000 clinicians with two years of monthly check-ins, on
# SQLite, release build. Usage: bash bench/insights.sh [CLINICIANS] [MONTHS] [REQUESTS]
# (prints Markdown for bench/insights.md).
set -euo pipefail
cd "$(dirname "$0")/.."
clinicians=${1:-10000}
months=${2:-24}
requests=${3:-200}
cargo build --release -p huddle -p huddle-bench >/dev/null
bin=target/release/huddle
bench=target/release/huddle-bench
port=18191
data=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $(date -u +%F)"
"$bench" insights-seed "$data" "$clinicians" "$months"
echo "database: $(du -sh "$data" | cut -f1)"
"$bin" serve --data "$data" --bind "127.0.0.1:$port" >"$data/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 2000); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.005
done
"$bench" insights "http://127.0.0.1:$port" "$requests"
echo "server log: $(grep -o 'insights tables computed.*' "$data/server.log" | head -3 | tr '\n' ' ')"
echo "server RSS after the run: $(( $(awk '/VmRSS/{print $2}' /proc/$pid/status) / 1024 )) MiB"
