#!/usr/bin/env bash
# `make quality`: formatting, lint, and no missing migration.
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_venv requirements-dev.txt
"$VENV/bin/ruff" format --check .
"$VENV/bin/ruff" check .
DJANGO_SETTINGS_MODULE=config.settings.dev "$VENV/bin/python" manage.py makemigrations --check --dry-run
DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY="$(head -c 64 /dev/urandom | base64 -w0)" \
  "$VENV/bin/python" manage.py check --deploy --fail-level WARNING
