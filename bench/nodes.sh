# Huddle under benchmark, in one of three setups; sourced by bench/messaging.sh and
# bench/alerts.sh, never run alone.
#   sqlite     one node on a fresh embedded SQLite folder
#   postgres   one node on a fresh PostgreSQL database (127.0.0.1:5432)
#   two-nodes  two nodes on one fresh PostgreSQL database, with NATS (127.0.0.1:4222)
# After `bench_setup SETUP`: `bench_admin …` runs `huddle admin …` on the setup's data.
# After `bench_start`: $urls and $pids list the nodes, comma-separated. Everything is
# stopped and removed when the script exits.

bin=target/release/huddle
bench_pg_admin() { psql -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d postgres -qc "$1"; }

bench_setup() {
  setup=$1
  case "$setup" in sqlite | postgres | two-nodes) ;; *)
    echo "setup must be sqlite, postgres or two-nodes, not '$setup'" >&2
    exit 2
    ;;
  esac
  cargo build --release -p huddle -p huddle-bench >/dev/null
  ulimit -n "$(ulimit -Hn)" # one descriptor per socket, on both sides
  data=$(mktemp -d)
  node_pids=()
  database=""
  trap bench_stop EXIT
  export HUDDLE_SECURITY__LOGIN_ATTEMPTS_PER_MINUTE=100000000 # the load comes from one address
  export HUDDLE_SECURITY__SIGN_UPS_PER_HOUR=100000000          # and so do its accounts
  if [ "$setup" = sqlite ]; then
    target=(--data "$data")
  else
    database="huddle_bench_$$"
    bench_pg_admin "DROP DATABASE IF EXISTS $database"
    bench_pg_admin "CREATE DATABASE $database"
    target=(--database-url "postgres://postgres@127.0.0.1:5432/$database")
    head -c 32 /dev/urandom | base64 >"$data/master.key"
    export HUDDLE_SECURITY__MASTER_KEY_FILE="$data/master.key"
  fi
  if [ "$setup" = two-nodes ]; then
    export HUDDLE_BUS__NATS_URL=nats://127.0.0.1:4222
  fi
}

bench_admin() { "$bin" admin "${target[@]}" "$@"; }

bench_start() {
  local port=18282 count=1 urls_list=() i
  [ "$setup" = two-nodes ] && count=2
  for i in $(seq 1 "$count"); do
    "$bin" serve "${target[@]}" --bind "127.0.0.1:$port" >"$data/node$i.log" 2>&1 &
    node_pids+=($!)
    for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$data/node$i.log" >&2; exit 1; }
    urls_list+=("http://127.0.0.1:$port")
    port=$((port + 1))
  done
  urls=$(IFS=,; echo "${urls_list[*]}")
  pids=$(IFS=,; echo "${node_pids[*]}")
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; setup: $setup ($count node(s))"
}

bench_stop() {
  if [ ${#node_pids[@]} -gt 0 ]; then kill "${node_pids[@]}" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  if [ -n "$database" ]; then bench_pg_admin "DROP DATABASE IF EXISTS $database WITH (FORCE)" || true; fi
  rm -rf "$data"
}
