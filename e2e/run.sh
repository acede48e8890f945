#!/usr/bin/env bash
# Browser end-to-end tests: Debian's Chromium driven by playwright-core against a
# `huddle demo` server. Installs what is missing (Chromium, node_modules), never builds
# huddle itself: point HUDDLE_BIN at a built binary (default ../target/debug/huddle).
set -euo pipefail

e2e_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(cd "$e2e_dir/.." && pwd)"

# Resolve HUDDLE_BIN to an absolute path (relative values are taken from the caller's cwd).
huddle_bin="${HUDDLE_BIN:-$repo_dir/target/debug/huddle}"
case "$huddle_bin" in
  /*) ;;
  *) huddle_bin="$(pwd)/$huddle_bin" ;;
esac
if [[ ! -x "$huddle_bin" ]]; then
  echo "e2e: no huddle binary at $huddle_bin; build it first (cargo build -p huddle) or set HUDDLE_BIN" >&2
  exit 1
fi
export HUDDLE_BIN="$huddle_bin"

export CHROMIUM_BIN="${CHROMIUM_BIN:-/usr/bin/chromium}"
if [[ ! -x "$CHROMIUM_BIN" ]]; then
  echo "e2e: installing Debian's chromium" >&2
  if [[ "$(id -u)" -eq 0 ]]; then sudo=(); else sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update
  "${sudo[@]}" apt-get install -y chromium
fi

command -v node >/dev/null || { echo "e2e: node is required (Node 20+)" >&2; exit 1; }

cd "$e2e_dir"
# Every dependency package.json names must be installed (a checkout that added one since
# the last install gets it).
missing="$(node -e 'const fs = require("fs"); const p = require("./package.json");
  console.log(Object.keys(p.dependencies).filter((d) => !fs.existsSync(`node_modules/${d}`)).join(" "))')"
if [[ -n "$missing" ]]; then
  # playwright-core never downloads a browser on install; the variable makes it explicit.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

mkdir -p test-results
exec node --test --test-timeout=150000 tests/
