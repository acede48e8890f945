#!/usr/bin/env bash
# The routing live path on a release build: alerts in through the API, interrupts out on
# physicians' live sockets. Usage: bash bench/alerts.sh [RATE] [SECONDS] [PHYSICIANS]
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-500} seconds=${2:-30} physicians=${3:-40}
cargo build --release -p huddle -p huddle-bench >/dev/null
data=$(mktemp -d)
port=18383
bin=target/release/huddle
export HUDDLE_SECURITY__LOGIN_ATTEMPTS_PER_MINUTE=100000000   # the load comes from one address
password="bench password that is long"
echo "$password" | "$bin" admin --data "$data" create-user --email bench-admin@example.org \
  --name "Bench Admin" --role org_admin --organization "Bench Hospital" --password-stdin >/dev/null
for i in $(seq 0 $((physicians - 1))); do
  echo "$password" | "$bin" admin --data "$data" create-user --email "bench-p$i@example.org" \
    --name "Dr. Bench $i" --role physician --organization "Bench Hospital" --password-stdin >/dev/null
done
"$bin" serve --data "$data" --bind "127.0.0.1:$port" >"$data/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; backend: sqlite"
target/release/huddle-bench alerts "http://127.0.0.1:$port" "$rate" "$seconds" "$physicians" "$pid"
