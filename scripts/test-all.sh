#!/usr/bin/env bash
# Every test Huddle has: formatting and lints, unit and API tests, the store conformance
# suite (on PostgreSQL too when HUDDLE_TEST_DATABASE_URL is set), and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-deps.sh  # OpenSSL headers, openssl, python3-venv when missing
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
bash scripts/test-peers.sh   # the independent peers some tests talk to (Web Push device)
cargo test --workspace
cargo build -p huddle
HUDDLE_BIN="$PWD/target/debug/huddle" bash e2e/run.sh
