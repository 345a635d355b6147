#!/usr/bin/env bash
# `make test`: the whole pytest suite against real PostgreSQL, Redis and Chromium.
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$ROOT/scripts/services.sh"
cd "$ROOT"
start_services
ensure_venv requirements-dev.txt
export DJANGO_SETTINGS_MODULE=config.settings.test
log "running pytest"
set +e
"$VENV/bin/python" -m pytest -p no:cacheprovider -q -ra --create-db "$@"
rc=$?
set -e
[ "$rc" -eq 5 ] && { echo "pytest collected no tests" >&2; rc=1; }
log "pytest exit $rc"
exit "$rc"
