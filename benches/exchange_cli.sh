#!/usr/bin/env bash
# Exchange of a whole demo ledger through the CLI, beside SQLite's own tools, in one run
# (BENCHMARKS.md, "Exchange of a whole ledger"):
#
#   benches/exchange_cli.sh [UNITS] [TAIZHANG_BINARY ...]
#
# UNITS: size of the demo ledger (2000 a county, 10000 the city of issue 17; default 2000).
# Each binary (default: target/release/taizhang, built if missing) runs
#   exchange export --all      of the demo ledger, and
#   exchange import            of that package into an empty ledger;
# then the baselines run on the same ledger:
#   sqlite3 LEDGER .dump | gzip -1      and      gunzip -c | sqlite3 NEW.
# Printed: wall seconds and peak resident memory (/usr/bin/time), and each step's time over
# its baseline. The demo ledger is kept in $OUT (target/bench-exchange) for the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
UNITS=${1:-2000}
shift || true
TARGET=${CARGO_TARGET_DIR:-target}
BINS=("$@")
if [ ${#BINS[@]} -eq 0 ]; then
    [ -x "$TARGET/release/taizhang" ] || cargo build --release --bin taizhang
    BINS=("$TARGET/release/taizhang")
fi
command -v sqlite3 >/dev/null || { echo "需要 sqlite3（apt-get install sqlite3）" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "需要 /usr/bin/time（apt-get install time）" >&2; exit 1; }
OUT=${OUT:-$TARGET/bench-exchange}
mkdir -p "$OUT"
LEDGER="$OUT/demo-$UNITS.db"
if [ ! -f "$LEDGER" ]; then
    "${BINS[0]}" --db "$LEDGER" demo --units "$UNITS" --seed 1 --as-of 2026-11-21 >/dev/null
fi
RUN="$OUT/run"
rm -rf "$RUN"
mkdir -p "$RUN"

# measure NAME COMMAND...: runs it, prints "seconds peak-KiB"
measure() {
    local name=$1
    shift
    sync
    /usr/bin/time -f "%e %M" -o "$RUN/$name.time" "$@" >/dev/null
    cat "$RUN/$name.time"
}

declare -A SECS MEM
for i in "${!BINS[@]}"; do
    bin=${BINS[$i]}
    read -r s m < <(measure "export$i" "$bin" --db "$LEDGER" exchange export "$RUN/p$i.tzpkg" --all)
    SECS[export$i]=$s MEM[export$i]=$m
    "$bin" --db "$RUN/empty$i.db" init >/dev/null
    read -r s m < <(measure "import$i" "$bin" --db "$RUN/empty$i.db" exchange import "$RUN/p$i.tzpkg")
    SECS[import$i]=$s MEM[import$i]=$m
    rm -f "$RUN/empty$i.db"
done
read -r s m < <(measure dump bash -c "sqlite3 '$LEDGER' .dump | gzip -1 > '$RUN/dump.sql.gz'")
SECS[dump]=$s MEM[dump]=$m
read -r s m < <(measure load bash -c "gunzip -c '$RUN/dump.sql.gz' | sqlite3 '$RUN/loaded.db'")
SECS[load]=$s MEM[load]=$m
rm -f "$RUN/loaded.db"

size() { stat -c %s "$1" | awk '{printf "%.0f MB", $1 / 1e6}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f×", a / b}'; }
mb() { awk -v k="$1" 'BEGIN {printf "%.0f MB", k / 1024}'; }
echo "ledger: $LEDGER ($(size "$LEDGER")), $UNITS units; dump.sql.gz $(size "$RUN/dump.sql.gz")"
echo
echo "| step | binary | seconds | peak memory | × baseline | package |"
echo "|---|---|---|---|---|---|"
for i in "${!BINS[@]}"; do
    b=$(basename "${BINS[$i]}")
    echo "| exchange export --all | $b | ${SECS[export$i]} | $(mb "${MEM[export$i]}") | $(ratio "${SECS[export$i]}" "${SECS[dump]}") of dump | $(size "$RUN/p$i.tzpkg") |"
    echo "| exchange import (empty ledger) | $b | ${SECS[import$i]} | $(mb "${MEM[import$i]}") | $(ratio "${SECS[import$i]}" "${SECS[load]}") of load | |"
done
echo "| sqlite3 .dump \| gzip -1 (dump) | | ${SECS[dump]} | $(mb "${MEM[dump]}") | | |"
echo "| gunzip -c \| sqlite3 (load) | | ${SECS[load]} | $(mb "${MEM[load]}") | | |"
