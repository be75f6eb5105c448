#!/usr/bin/env bash
# Search throughput against the HTTP ceiling of this machine, in one run
# (issue 20). Loopback only.
#
#   scripts/search_ceiling.sh [DB_PATH]
#
# 1. prepares DB_PATH (default /tmp/lba-national.db: referentials + the
#    national demo, seed 1) and starts `lba serve` on it: start-up time
#    until /healthz answers, resident memory;
# 2. `wrk -t2 -c32` on /api/v1/jobs (companies, 10 ROME codes × 12 cities,
#    scripts/jobs.lua): our requests/s;
# 3. the bare axum server (crates/lba-web/examples/bare_server.rs) answering
#    the Paris D1102 body of step 2 from memory, same wrk: the ceiling;
# 4. prints ours, the ceiling and the ratio;
# 5. when PostGIS is installed in the PostgreSQL at LBA_PG_URL (default
#    postgres://postgres@127.0.0.1:5432/postgres), the same query in
#    PostGIS (scripts/postgis.sql, `pgbench -c8 -j2`) and ours / PostGIS.
#
# LBA_BIN and BARE_BIN measure other builds; LBA_LOAD_DURATION (15s).
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-/tmp/lba-national.db}
PORT=${LBA_LOAD_PORT:-18090}
BARE_PORT=$((PORT + 1))
DURATION=${LBA_LOAD_DURATION:-15s}
PG_URL=${LBA_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
[ -n "${LBA_BIN:-}" ] || cargo build --release --quiet -p lba-cli
[ -n "${BARE_BIN:-}" ] || cargo build --release --quiet -p lba-web --example bare_server
LBA=${LBA_BIN:-target/release/lba}
BARE=${BARE_BIN:-target/release/examples/bare_server}
. scripts/national_db.sh
national_db "$LBA" "$DB"

pids=()
trap 'kill -TERM "${pids[@]}" 2>/dev/null || true' EXIT
wait_for() { # URL PID LOG
    until curl -fs "$1" >/dev/null; do
        kill -0 "$2" || { cat "$3"; exit 1; }
        sleep 0.05
    done
}
requests_per_s() { # wrk output on stdin → requests/s
    awk '/Requests\/sec/ { printf "%d", $2 }'
}

start=$(date +%s.%N)
LBA_DATABASE_URL=$DB $LBA serve --addr 127.0.0.1:$PORT > /tmp/lba-ceiling-serve.log 2>&1 &
pid=$!
pids+=("$pid")
wait_for "http://127.0.0.1:$PORT/healthz" "$pid" /tmp/lba-ceiling-serve.log
end=$(date +%s.%N)
echo "start-up until /healthz answers: $(python3 -c "print(round($end-$start,2))") s"
echo "resident memory after start: $(($(ps -o rss= -p "$pid") / 1024)) MB"

body=/tmp/lba-ceiling-body.json
curl -fs "http://127.0.0.1:$PORT/api/v1/jobs?romes=D1102&latitude=48.856600&longitude=2.352200&radius=30&sources=lba&caller=load" > $body
echo "body of the Paris D1102 query: $(stat -c %s $body) bytes, $(python3 -c "import json; print(len(json.load(open('$body'))['lbaCompanies']['results']))") companies"

ours_out=$(wrk -t2 -c32 -d"$DURATION" --latency -s scripts/jobs.lua "http://127.0.0.1:$PORT")
echo "$ours_out" | grep -E "Latency|99%|Requests/sec|Non-2xx|Socket"
ours=$(echo "$ours_out" | requests_per_s)
echo "resident memory after the load: $(($(ps -o rss= -p "$pid") / 1024)) MB"
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true

$BARE $body 127.0.0.1:$BARE_PORT > /tmp/lba-ceiling-bare.log 2>&1 &
bare_pid=$!
pids+=("$bare_pid")
wait_for "http://127.0.0.1:$BARE_PORT/" "$bare_pid" /tmp/lba-ceiling-bare.log
bare_out=$(wrk -t2 -c32 -d"$DURATION" --latency -s scripts/jobs.lua "http://127.0.0.1:$BARE_PORT")
bare=$(echo "$bare_out" | requests_per_s)
kill -TERM "$bare_pid"; wait "$bare_pid" 2>/dev/null || true

echo "ours: $ours req/s; bare axum, same body from memory: $bare req/s; ratio: $(python3 -c "print(f'{100*$ours/$bare:.1f} %')")"

if psql "$PG_URL" -Atqc "CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS btree_gist" 2>/dev/null; then
    indexed=$(psql "$PG_URL" -Atqc "SELECT count(*) FROM pg_indexes WHERE tablename = 'bench_company_romes'")
    if [ "$indexed" -eq 0 ]; then
        echo "loading the companies of $DB into PostGIS (bench_company_romes, one row per company and ROME code)…"
        psql "$PG_URL" -qc "DROP TABLE IF EXISTS bench_company_romes; CREATE TABLE bench_company_romes (siret text NOT NULL, rome text NOT NULL, geog geography(Point, 4326) NOT NULL)"
        python3 - "$DB" <<'PY' | psql "$PG_URL" -qc "COPY bench_company_romes FROM STDIN"
import sqlite3, sys
for siret, lat, lon, scores in sqlite3.connect(sys.argv[1]).execute("SELECT siret, lat, lon, rome_scores FROM companies"):
    for pair in scores.split():
        sys.stdout.write(f"{siret}\t{pair.split(':')[0]}\tSRID=4326;POINT({lon} {lat})\n")
PY
        psql "$PG_URL" -qc "CREATE INDEX ON bench_company_romes USING gist (rome, geog)"
        psql "$PG_URL" -qc "VACUUM ANALYZE bench_company_romes"
    fi
    echo "PostGIS: $(psql "$PG_URL" -Atqc "SELECT count(*) FROM bench_company_romes") rows; GiST index on (rome, geog)"
    pg_out=$(pgbench -n -c8 -j2 -T"${DURATION%s}" -f scripts/postgis.sql "$PG_URL")
    pg=$(echo "$pg_out" | awk '/^tps/ { printf "%d", $3 }')
    echo "$pg_out" | grep -E "latency average|^tps"
    echo "PostGIS, same query without JSON: $pg queries/s; ours / PostGIS: $(python3 -c "print(f'{$ours/$pg:.1f}×')")"
else
    echo "PostGIS is not installed in $PG_URL: no PostGIS figure (apt-get install postgresql-15-postgis-3)"
fi
