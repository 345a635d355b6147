# Shared helpers for the Makefile's scripts (sourced, not run).
# VENV: where the virtualenv lives (default .venv); STATE: caches and throwaway servers.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
STATE="${CI_STATE_DIR:-${STATE:-/tmp/plage-libre-state}}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

t0=$SECONDS
log() { printf '[%4ss] %s\n' "$((SECONDS - t0))" "$*" >&2; }

find_python() {
  # Django 6 needs Python >= 3.12; on Debian 12 the system python3 is 3.11.
  local c
  for c in "${PYTHON:-}" python3.12 python3.13 python3 /root/.pyenv/versions/3.12*/bin/python3.12 \
           /root/.pyenv/versions/3.13*/bin/python3.13 "$HOME"/.pyenv/versions/3.1[23]*/bin/python3; do
    [ -n "$c" ] || continue
    command -v "$c" >/dev/null 2>&1 || [ -x "$c" ] || continue
    if "$c" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      echo "$c"; return 0
    fi
  done
  cat >&2 <<'MSG'
No Python >= 3.12 with venv was found (Django 6 requires it).
Install one, for example:  apt-get install python3.12 python3.12-venv   (or: pyenv install 3.12)
then run again, or point to it:  make run PYTHON=/path/to/python3.12
MSG
  return 1
}

ensure_venv() {
  # $1: requirements file. Rebuilds only when the requirements or the interpreter change.
  local req="$1" py hash
  py="$(find_python)" || exit 1
  hash="$({ cat "$ROOT"/requirements*.txt; "$py" -VV; echo "$req"; } | sha256sum | cut -c1-16)"
  if [ "$(cat "$VENV/.req-hash" 2>/dev/null)" != "$hash" ]; then
    log "creating virtualenv $VENV with $("$py" -V)"
    rm -rf "$VENV"
    "$py" -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip
    "$VENV/bin/pip" install -q -r "$ROOT/$req"
    echo "$hash" > "$VENV/.req-hash"
  fi
}
