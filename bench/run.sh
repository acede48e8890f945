#!/usr/bin/env bash
# Foundation benchmarks on a release build: cold start, idle memory, sign-in under load.
# Usage: bash bench/run.sh   (prints Markdown for RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p huddle -p huddle-bench >/dev/null
bin=target/release/huddle
port=18181
data=$(mktemp -d)
export HUDDLE_SECURITY__LOGIN_ATTEMPTS_PER_MINUTE=1000000   # the load comes from one address
export HUDDLE_SECURITY__SIGN_UPS_PER_HOUR=1000000         # and so do its accounts

# Starts the server; sets $pid and $ms (time until /healthz answered).
start_server() {
  local start; start=$(date +%s%N)
  "$bin" serve --data "$data" --bind "127.0.0.1:$port" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 2000); do
    if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
      ms=$(( ($(date +%s%N) - start) / 1000000 ))
      return 0
    fi
    sleep 0.005
  done
  echo "server did not start" >&2; return 1
}

stop_server() { kill "$pid"; wait "$pid" 2>/dev/null || true; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr)"
start_server; stop_server
echo "cold start, new database (creates and migrates it): ${ms} ms"
for i in 1 2 3 4 5; do
  start_server
  if [ "$i" = 5 ]; then
    sleep 5
    rss=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
    echo "idle RSS 5 s after start: $((rss / 1024)) MiB (${rss} kB)"
  fi
  stop_server
  echo "cold start, existing database, run $i: ${ms} ms"
done
start_server
target/release/huddle-bench signin "http://127.0.0.1:$port" 50 20
rss=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
echo
echo "RSS after the sign-in load: $((rss / 1024)) MiB"
stop_server
rm -rf "$data"
