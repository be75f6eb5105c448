#!/usr/bin/env bash
# Load test of the orientation routes (issue 16) on the local demo
# (loopback only): `wrk -c32` on the results page (ranked, rendered and
# recorded) and on the API (ranked only), with latency percentiles.
#
#   scripts/load_orientation.sh [DB_PATH]
#
# LBA_BIN=path/to/lba measures that binary instead of building the release one.
# LBA_LOAD_COMMUNES=weighted draws the communes from the real data (see below).
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-/tmp/lba-orientation-load.db}
PORT=${LBA_LOAD_PORT:-18091}
DURATION=${LBA_LOAD_DURATION:-20s}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
if [ -z "${LBA_BIN:-}" ]; then
    cargo build --release --quiet -p lba-cli
fi
LBA=${LBA_BIN:-target/release/lba}
export LBA_DATABASE_URL=$DB
if [ "$($LBA status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["formations"])')" -eq 0 ]; then
    $LBA import referentials
    $LBA demo generate
fi
# One fresh server per route: the second run does not find the first one's
# counts in the cache.
pid=
start() {
    $LBA serve --addr 127.0.0.1:$PORT --no-worker > /tmp/lba-orientation-serve.log 2>&1 &
    pid=$!
    until curl -fs http://127.0.0.1:$PORT/healthz >/dev/null; do
        kill -0 $pid || { cat /tmp/lba-orientation-serve.log; exit 1; }
        sleep 0.1
    done
}
stop() {
    echo "resident memory after load: $(($(ps -o rss= -p $pid) / 1024)) MB"
    kill -TERM $pid 2>/dev/null || true
    wait $pid 2>/dev/null || true
}
trap 'kill -TERM $pid 2>/dev/null || true' EXIT
# LBA_LOAD_COMMUNES=weighted: 30,000 communes drawn (fixed seed) from
# geo/communes.csv weighted by population, instead of 11 big cities in turn.
if [ "${LBA_LOAD_COMMUNES:-}" = weighted ]; then
    DATA_DIR=${LBA_DATA_DIR:-../shared/data}
    python3 - "$DATA_DIR/geo/communes.csv" > /tmp/orientation_communes.lua <<'PY'
import csv, random, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")) if r["commune_type"] == "COM"]
weights = [int(r["population_2021"] or 0) for r in rows]
random.seed(16)
drawn = random.choices([r["insee_com"] for r in rows], weights=weights, k=30000)
print("return {" + ",".join('"%s"' % c for c in drawn) + "}")
print("-- %d distinct communes" % len(set(drawn)), file=sys.stderr)
PY
    export ORIENTATION_COMMUNES_LUA=/tmp/orientation_communes.lua
fi
for route in /orientation/resultats /api/v1/orientation; do
    start
    echo "== $route, 32 connections, $DURATION"
    ORIENTATION_PATH=$route wrk -t2 -c32 -d"$DURATION" --latency -s scripts/orientation.lua \
        http://127.0.0.1:$PORT | grep -E "Latency|50%|90%|99%|Requests/sec|requests in|Non-2xx"
    stop
done
