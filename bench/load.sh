#!/usr/bin/env bash
# Load benchmark: a release build of `drop` on SQLite and on PostgreSQL, measured with wrk over
# loopback at 64 and 1,000 concurrent connections. Bounded: each run lasts DURATION seconds.
# Writes bench/results/latest.md. Usage: bench/load.sh [DURATION_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/postgres.sh
DURATION=${1:-10}
ROUTES=("/health" "/ready")   # /ready is a JSON read that queries the database; later features add their reads here
CONNECTIONS=(64 1000)

command -v wrk >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq; apt-get install -y -qq wrk >/dev/null; }
ulimit -n 65536 || true

echo "== Release build =="
swift build -c release --scratch-path .build-release --product drop 2>&1 | tail -1
BIN=$(swift build -c release --scratch-path .build-release --show-bin-path)/drop

SERVER_PID=""
WORK=$(mktemp -d /tmp/drop-bench.XXXXXX)
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true; stop_postgres; rm -rf "$WORK"; }
trap cleanup EXIT

mkdir -p bench/results
OUT=bench/results/latest.md
{
  echo "# Load benchmark"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ) · $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB · $(swift --version 2>/dev/null | head -1)"
  echo "wrk -t2 for ${DURATION}s per row, client and server on the same machine (loopback)."
  echo
  echo "| database | route | connections | requests/s | p50 | p99 | errors |"
  echo "|---|---|---|---|---|---|---|"
} > "$OUT"

run_server() {  # $1 = DATABASE_URL
  local port; port=$(free_port)
  DROP_ENV=test DATABASE_URL="$1" PORT=$port HOST=127.0.0.1 DROP_DATA_DIR="$WORK/data" LOG_LEVEL=error DROP_WORKER=off \
    "$BIN" serve >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.2; done
  BASE="http://127.0.0.1:$port"
}

measure() {  # $1 = label
  for route in "${ROUTES[@]}"; do
    for c in "${CONNECTIONS[@]}"; do
      local raw; raw=$(wrk -t2 -c"$c" -d"${DURATION}s" --latency --timeout 5s "$BASE$route" 2>&1)
      local rps p50 p99 errors
      rps=$(echo "$raw" | awk '/Requests\/sec/{print $2}')
      p50=$(echo "$raw" | awk '$1=="50%"{print $2}')
      p99=$(echo "$raw" | awk '$1=="99%"{print $2}')
      errors=$(echo "$raw" | awk '/Socket errors|Non-2xx/{printf "%s ", $0}')
      echo "| $1 | \`$route\` | $c | $rps | $p50 | $p99 | ${errors:-0} |" | tee -a "$OUT"
    done
  done
}

echo "== SQLite =="
run_server "sqlite:$WORK/bench.db"
measure sqlite
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""

echo "== PostgreSQL =="
start_postgres
run_server "$PG_URL"
measure postgres

echo; echo "Written to $OUT"
