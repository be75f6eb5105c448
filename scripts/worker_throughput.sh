#!/usr/bin/env bash
# Campaign worker throughput (issue 20): messages per second through the
# outbox worker against local SMTP and SMS sinks, on SQLite and, when
# LBA_TEST_PG_URL is set, PostgreSQL.
#
#   scripts/worker_throughput.sh [MESSAGES]
#
# BENCH_BIN=path/to/worker_throughput measures that binary instead of
# building the example (to compare two versions one after the other).
# Runs: the in-process SMTP sink (e-mails only, then e-mails and SMS), the
# same with a campaign rate of 200/s (the busiest second must be 200),
# and Python aiosmtpd (Sink handler) when it is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-4000}
if [ -z "${BENCH_BIN:-}" ]; then
    cargo build --release --quiet -p lba-notify --example worker_throughput
fi
BIN=${BENCH_BIN:-${CARGO_TARGET_DIR:-target}/release/examples/worker_throughput}
uptime
backends=("")
[ -n "${LBA_TEST_PG_URL:-}" ] && backends+=("--pg")
for db in "${backends[@]}"; do
    $BIN --messages "$N" --no-sms $db | tail -1 | sed "s/^/sink, e-mails only ${db}: /"
    $BIN --messages "$N" $db | tail -1 | sed "s/^/sink, e-mails + SMS ${db}: /"
    $BIN --messages 1000 --rate 200 $db | tail -1 | sed "s/^/sink, rate 200 ${db}: /"
done
if python3 -c 'import aiosmtpd' 2>/dev/null; then
    python3 -m aiosmtpd -n -c aiosmtpd.handlers.Sink -l 127.0.0.1:2526 &
    smtpd=$!
    trap 'kill $smtpd' EXIT
    sleep 1
    $BIN --messages "$N" --smtp 2526 | tail -1 | sed "s/^/aiosmtpd, e-mails + SMS: /"
fi
