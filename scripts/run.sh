#!/usr/bin/env bash
# `make run`: the app with synthetic demo data on the embedded SQLite database.
# No other server is needed; when REDIS_URL answers, a worker and the scheduler run too.
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_venv requirements.txt
export DJANGO_SETTINGS_MODULE=config.settings.dev
PY="$VENV/bin/python"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py seed_demo
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
if [ -n "${REDIS_URL:-}" ] && "$PY" -c 'import os, redis; redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=1).ping()' 2>/dev/null; then
  log "Redis answers at $REDIS_URL: starting a worker with the scheduler"
  "$PY" manage.py rqworker default documents exports maintenance --with-scheduler &
  pids+=($!)
  if "$PY" manage.py help rqcron >/dev/null 2>&1 && [ -f config/schedules.py ]; then
    "$PY" manage.py rqcron config.schedules &
    pids+=($!)
  fi
else
  log "No Redis (REDIS_URL unset or not answering): background jobs run inline"
fi
log "Plage libre on http://127.0.0.1:8000  (Ctrl+C to stop)"
"$PY" manage.py runserver 127.0.0.1:8000
