#!/usr/bin/env bash
# The README's test command: the Rust suite (cargo nextest), then the
# browser tests (Debian chromium driven by playwright-core, axe-core) against
# a real `lba serve`. Installs what the browser tests need on a fresh machine
# (chromium with apt-get when root, the npm packages with `npm ci`).
# Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }

# --- SMTP server for the delivery tests ---------------------------------
if ! python3 -c "import aiosmtpd" >/dev/null 2>&1; then
    log "pip install aiosmtpd (SMTP server of the delivery tests)"
    python3 -m pip install --quiet --disable-pip-version-check aiosmtpd
fi

# --- Rust ---------------------------------------------------------------
log "cargo nextest run --workspace"
cargo nextest run --workspace --locked

# --- Browser tests ------------------------------------------------------
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_PATH" ]; then
    if [ "$(id -u)" = 0 ]; then
        log "installing chromium (Debian)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
    else
        echo "chromium not found at $CHROMIUM_PATH: apt-get install -y chromium (as root), or set CHROMIUM_PATH" >&2
        exit 1
    fi
fi
export CHROMIUM_PATH

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "Node.js and npm are needed for the front-end assets and the browser tests" >&2
    exit 1
fi
if [ ! -d crates/lba-web/assets/node_modules/@gouvfr/dsfr/dist ] || [ ! -d crates/lba-web/assets/node_modules/leaflet/dist ]; then
    log "npm ci (front-end assets)"
    (cd crates/lba-web/assets && npm ci --no-audit --no-fund --ignore-scripts)
fi
if [ ! -d tests/browser/node_modules ]; then
    log "npm ci (browser tests)"
    (cd tests/browser && npm ci --no-audit --no-fund)
fi

log "cargo build -p lba-cli"
cargo build -p lba-cli --locked
export LBA_BIN="${LBA_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/debug/lba}"

log "browser tests (node --test tests/browser/)"
node --test tests/browser/
