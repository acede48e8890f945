#!/usr/bin/env bash
# Messaging under load on a release build: CLIENTS people with one live WebSocket each,
# in groups of 8, sending RATE messages a second for SECONDS.
# Usage: bash bench/messaging.sh [CLIENTS] [RATE] [SECONDS] [DATABASE_URL]
#   without DATABASE_URL: a fresh SQLite folder; with one: that (empty) PostgreSQL database.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-10000} rate=${2:-2000} seconds=${3:-30} url=${4:-}
cargo build --release -p huddle -p huddle-bench >/dev/null
ulimit -n "$(ulimit -Hn)"   # one descriptor per socket, on both sides
data=$(mktemp -d)
port=18282
export HUDDLE_SECURITY__LOGIN_ATTEMPTS_PER_MINUTE=100000000   # the load comes from one address
if [ -n "$url" ]; then
  head -c 32 /dev/urandom | base64 > "$data/master.key"
  HUDDLE_SECURITY__MASTER_KEY_FILE="$data/master.key" \
    target/release/huddle serve --database-url "$url" --bind "127.0.0.1:$port" >"$data/log" 2>&1 &
else
  target/release/huddle serve --data "$data" --bind "127.0.0.1:$port" >"$data/log" 2>&1 &
fi
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done
backend=sqlite; [ -n "$url" ] && backend=postgres
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; backend: $backend"
target/release/huddle-bench messaging "http://127.0.0.1:$port" "$clients" "$rate" "$seconds" 8 "$pid"
