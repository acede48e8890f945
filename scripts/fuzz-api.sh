#!/usr/bin/env bash
# Property-based API fuzzing: schemathesis generates requests from /api/openapi.json and
# fails on any 5xx. Runs against `huddle demo` as the demo administrator, the demo
# physician and the demo moderator. Usage: bash scripts/fuzz-api.sh [MAX_EXAMPLES]   (installs schemathesis in a venv)
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${1:-25}
venv=target/fuzz-venv
if [[ ! -x "$venv/bin/schemathesis" ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q schemathesis==4.32.5
fi
cargo build -p huddle >/dev/null
data=$(mktemp -d)
port=18555
target/debug/huddle demo --data "$data" --port "$port" >"$data/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$data"' EXIT
# The demo prints its logins once it has seeded its accounts.
for _ in $(seq 1 400); do grep -q ' system_admin ' "$data/log" && break; sleep 0.05; done
grep -q ' system_admin ' "$data/log" || { echo "the demo did not start" >&2; exit 1; }
token() {
  curl -fs -X POST "http://127.0.0.1:$port/api/v1/auth/tokens" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$2\",\"name\":\"fuzz\"}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])'
}
# Every token first: the fuzzing posts random sign-ins, and the sign-in throttle (per address)
# would then refuse the next account's. The moderator is a verified physician: the only demo
# account the lounge lets in. The administrator goes last: its fuzzing may deactivate the
# other two accounts (never its own), which would end their tokens.
emails=() bearers=()
for role in physician moderator org_admin; do
  login=$(grep " $role " "$data/log" | head -1)
  email=$(echo "$login" | awk '{print $3}') password=$(echo "$login" | awk '{print $4}')
  emails+=("$email")
  bearers+=("$(token "$email" "$password")")
done
for i in "${!emails[@]}"; do
  echo "== as ${emails[$i]}"
  # Sign-out and revoking a token by id are left out: they revoke the very token the run
  # uses (token ids are small numbers a fuzzer guesses), and every later request would be
  # fuzzing the 401 page. Both have tests of their own.
  # One worker: with two, Hypothesis parses lambdas' source on both threads at once, and
  # CPython 3.11's AST constructor is not thread-safe ("recursion depth mismatch").
  "$venv/bin/schemathesis" run "http://127.0.0.1:$port/api/openapi.json" \
    -H "Authorization: Bearer ${bearers[$i]}" \
    --checks not_a_server_error --max-examples "$examples" --exclude-path /api/v1/live \
    --exclude-path /api/v1/auth/logout --exclude-path '/api/v1/auth/tokens/{id}' --workers 1
  # The run must have been signed in to the end, or it tested only the sign-in wall.
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${bearers[$i]}" \
    "http://127.0.0.1:$port/api/v1/me")
  if [[ "$status" != 200 ]]; then
    echo "the fuzzing token of ${emails[$i]} no longer works (GET /api/v1/me: $status)" >&2
    exit 1
  fi
done
