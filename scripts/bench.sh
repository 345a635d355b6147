#!/usr/bin/env bash
# `make bench`: the benchmark suite (bench/README.md). Starts PostgreSQL and Redis like `make test`,
# (re)generates the data when missing or outdated (PostgreSQL `benchdata`: 100,000 people; SQLite:
# 10,000), runs every benchmark on both, prints the table and writes bench/RESULTS.md.
# Environment: BENCH_PERSONS, BENCH_SQLITE_PERSONS, BENCH_RUNS (timed runs per page, default 30),
# BENCH_ONLY (comma-separated suites: pages,export,recompute,dossier,import,load), BENCH_SKIP_SQLITE=1.
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$ROOT/scripts/services.sh"
cd "$ROOT"
start_services
ensure_venv requirements-dev.txt
export DJANGO_SETTINGS_MODULE=bench.settings BENCH_DB="${BENCH_DB:-benchdata}" STATE
export BENCH_MEDIA_ROOT="${BENCH_MEDIA_ROOT:-$STATE/bench-media}"
PY="$VENV/bin/python"
OUT="$STATE/bench"
ONLY="${BENCH_ONLY:-pages,export,recompute,dossier,import,load}"
mkdir -p "$OUT"
rc=0

log "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
log "PostgreSQL data: ${BENCH_PERSONS:-100000} people in database $BENCH_DB"
"$PY" -m bench.generate --persons "${BENCH_PERSONS:-100000}"
log "PostgreSQL benchmarks"
"$PY" -m bench.run --only "$ONLY" --out "$OUT/postgresql.json" || rc=1
files=("$OUT/postgresql.json")

if [ "${BENCH_SKIP_SQLITE:-0}" != 1 ]; then
  export BENCH_SQLITE="$STATE/bench-${BENCH_SQLITE_PERSONS:-10000}.sqlite3"
  log "SQLite data: ${BENCH_SQLITE_PERSONS:-10000} people in $BENCH_SQLITE"
  "$PY" -m bench.generate --persons "${BENCH_SQLITE_PERSONS:-10000}"
  log "SQLite benchmarks"
  "$PY" -m bench.run --only "$ONLY" --out "$OUT/sqlite.json" || rc=1
  unset BENCH_SQLITE
  files+=("$OUT/sqlite.json")
fi

"$PY" -m bench.run --report "$ROOT/bench/RESULTS.md" "${files[@]}"
log "bench exit $rc (bench/RESULTS.md written)"
exit "$rc"
