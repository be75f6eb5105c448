#!/usr/bin/env bash
# Load test of the orientation routes (issue 16) on the local demo
# (loopback only): `wrk -c32` on the results page (ranked, rendered and
# recorded) and on the API (ranked only), with latency percentiles.
#
#   scripts/load_orientation.sh [DB_PATH]
#
# LBA_BIN=path/to/lba measures that binary instead of building the release one.
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
$LBA serve --addr 127.0.0.1:$PORT --no-worker > /tmp/lba-orientation-serve.log 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true' EXIT
until curl -fs http://127.0.0.1:$PORT/healthz >/dev/null; do
    kill -0 $pid || { cat /tmp/lba-orientation-serve.log; exit 1; }
    sleep 0.1
done
for route in /orientation/resultats /api/v1/orientation; do
    echo "== $route, 32 connections, $DURATION"
    ORIENTATION_PATH=$route wrk -t2 -c32 -d"$DURATION" --latency -s scripts/orientation.lua \
        http://127.0.0.1:$PORT | grep -E "Latency|50%|90%|99%|Requests/sec|requests in|Non-2xx"
done
echo "resident memory after load: $(($(ps -o rss= -p $pid) / 1024)) MB"
