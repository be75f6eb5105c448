#!/usr/bin/env bash
# Load test of `lba serve` on the national demo data (loopback only).
#
#   scripts/load.sh [DB_PATH]
#
# LBA_BIN=path/to/lba measures that binary instead of building the release
# one (to compare two versions on the same machine, one after the other).
# Builds the release binary, prepares DB_PATH (default /tmp/lba-national.db)
# with the referentials and the national demo when it is empty, then
# measures start-up time, resident memory, and requests per second with
# latency percentiles for a mix of search, métier and place queries.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-/tmp/lba-national.db}
PORT=${LBA_LOAD_PORT:-18090}
DURATION=${LBA_LOAD_DURATION:-20s}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
if [ -z "${LBA_BIN:-}" ]; then
    cargo build --release --quiet
fi
LBA=${LBA_BIN:-target/release/lba}
export LBA_DATABASE_URL=$DB
. scripts/national_db.sh
national_db "$LBA" "$DB"
start=$(date +%s.%N)
$LBA serve --addr 127.0.0.1:$PORT > /tmp/lba-load-serve.log 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true' EXIT
until curl -fs http://127.0.0.1:$PORT/healthz >/dev/null; do
    kill -0 $pid || { cat /tmp/lba-load-serve.log; exit 1; }
    sleep 0.1
done
end=$(date +%s.%N)
echo "start-up until /healthz answers: $(python3 -c "print(round($end-$start,2))") s"
echo "resident memory after start: $(($(ps -o rss= -p $pid) / 1024)) MB"
wrk -t2 -c64 -d"$DURATION" --latency -s scripts/load.lua http://127.0.0.1:$PORT | grep -E "Latency|50%|90%|99%|Requests/sec|requests in|Non-2xx"
for path in "/api/v1/jobsEtFormations?romes=D1102&latitude=48.8566&longitude=2.3522&radius=30" "/api/v1/metiers?title=boulanjer" "/api/v1/places?q=st%20etienne"; do
    echo "single route: $path"
    wrk -t2 -c32 -d10s --latency "http://127.0.0.1:$PORT$path" | grep -E "99%|Requests/sec"
done
echo "resident memory after load: $(($(ps -o rss= -p $pid) / 1024)) MB"
