"""SQLite write-lock trace for the load test (bench only, off unless BENCH_LOCKTRACE names a folder).

SQLite has one write lock per database file. This records, for every transaction a gunicorn
worker opens, how long `BEGIN` waited for that lock and how long the transaction then held it,
tagged with the request (method and path with ids folded). Each process appends JSON lines to
`<folder>/<pid>.jsonl`; `summary(folder)` adds them up per request kind. Installed by
bench.settings before Django opens any connection; it wraps the backend's own methods only.
"""

import json
import os
import re
import threading
import time
from pathlib import Path

_local = threading.local()
IDS = re.compile(r"/\d+(?=/|$)")


def _request_started(sender, environ=None, **kwargs):
    environ = environ or {}
    _local.request = f"{environ.get('REQUEST_METHOD', '?')} {IDS.sub('/<id>', environ.get('PATH_INFO', '?'))}"


def _write(folder: Path, row: dict):
    with open(folder / f"{os.getpid()}.jsonl", "a") as out:
        out.write(json.dumps(row) + "\n")


def install(folder: str):
    from django.core.signals import request_started
    from django.db.backends.sqlite3.base import DatabaseWrapper

    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    request_started.connect(_request_started, weak=False)
    start, commit, rollback = (
        DatabaseWrapper._start_transaction_under_autocommit,
        DatabaseWrapper._commit,
        DatabaseWrapper._rollback,
    )

    def traced_start(self):
        asked = time.perf_counter()
        start(self)
        self._trace = (asked, time.perf_counter(), self.transaction_mode or "DEFERRED")

    def finish(self, real, outcome):
        real(self)
        trace = getattr(self, "_trace", None)
        if trace is None:
            return
        self._trace = None
        asked, got, mode = trace
        now = time.perf_counter()
        _write(
            target,
            {
                "request": getattr(_local, "request", "-"),
                "mode": mode,
                "wait_ms": round((got - asked) * 1000, 2),
                "hold_ms": round((now - got) * 1000, 2),
                "outcome": outcome,
            },
        )

    DatabaseWrapper._start_transaction_under_autocommit = traced_start
    DatabaseWrapper._commit = lambda self: finish(self, commit, "commit")
    DatabaseWrapper._rollback = lambda self: finish(self, rollback, "rollback")


def summary(folder: str) -> dict:
    """Per request kind: transactions, total and p95 wait for the lock, total and p95 hold."""
    from bench.common import percentile

    rows = []
    for path in Path(folder).glob("*.jsonl"):
        rows.extend(json.loads(line) for line in path.read_text().splitlines() if line)
    by_request: dict[str, list[dict]] = {}
    for row in rows:
        by_request.setdefault(row["request"], []).append(row)
    out = {}
    for request, items in sorted(by_request.items(), key=lambda kv: -sum(r["hold_ms"] for r in kv[1])):
        waits, holds = [r["wait_ms"] for r in items], [r["hold_ms"] for r in items]
        out[request] = {
            "transactions": len(items),
            "wait_total_ms": round(sum(waits)),
            "wait_p95_ms": round(percentile(waits, 0.95), 1),
            "hold_total_ms": round(sum(holds)),
            "hold_p95_ms": round(percentile(holds, 0.95), 1),
        }
    return out
