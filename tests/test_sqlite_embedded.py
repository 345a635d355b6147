"""The embedded SQLite default under simultaneous requests: page views take no write lock.

SQLite has one write lock per file. When every request was one IMMEDIATE transaction, a page
view held it from its first query to its rendered HTML and requests ran one at a time (20
caseworkers: p95 668 ms, see bench/notes.md). The suite runs on PostgreSQL, so these tests run
the project's own settings on a fresh SQLite file in a process of their own (tests/sqlite_probe.py).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from cases import views

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sqlite")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "DATABASE_URL", "REDIS_URL", "CACHE_URL"))}
    env.update(SQLITE_PATH=str(folder / "db.sqlite3"), PROBE_MEDIA=str(folder / "media"))
    result = subprocess.run(
        [sys.executable, "-m", "tests.sqlite_probe"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_the_connection_is_wal_fully_synced_immediate_with_a_20_s_lock_wait(probe):
    assert probe["pragmas"] == {
        "journal_mode": "wal",  # readers and the writer do not wait for each other
        "synchronous": 2,  # FULL: a commit is on disk before the caseworker sees "enregistrée"
        "busy_timeout": 20000,
        "transaction_mode": "IMMEDIATE",
        "atomic_requests": True,
    }


def test_the_case_list_reads_outside_any_transaction(probe):
    page = probe["list"]
    assert page["status"] == 200
    assert page["selects_outside"] >= 5
    # The only transaction is the session's save, after the page is built.
    assert page["transactions"] == [["BEGIN IMMEDIATE", "UPDATE"]]


def test_the_case_page_reads_outside_and_only_its_writes_open_short_transactions(probe):
    page = probe["case"]
    assert page["status"] == 200
    assert page["selects_outside"] >= 20  # the case, its attempts, documents, panels...
    for statements in page["transactions"]:
        assert statements[0] == "BEGIN IMMEDIATE"
        assert {"INSERT", "UPDATE", "DELETE"} & set(statements), statements  # no transaction just to read
        assert len(statements) <= 5, statements


def test_the_case_list_opens_while_another_process_holds_the_write_lock(probe):
    # Before: the page waited for the lock (here 0.5 s), then failed with "database is locked".
    assert probe["list_while_locked"] == {"status": 200, "shows_case": True}


def test_a_post_is_still_one_transaction_that_takes_the_lock_first(probe):
    post = probe["harm_post"]
    assert post["status"] == 302
    first = post["transactions"][0]
    # The view's reads (scope, case, documents) and its writes: all or nothing, as on PostgreSQL.
    assert first[0] == "BEGIN IMMEDIATE" and first.count("SELECT") >= 3 and first.count("INSERT") == 2
    assert probe["harm_post_while_locked"] == {"error": "database is locked"}


def test_logging_an_attempt_with_a_screenshot_holds_the_lock_only_for_its_rows(probe):
    post = probe["attempt_post"]
    assert post["status"] == 302 and probe["attempts_stored"] == 1
    rows, session = post["transactions"]
    assert session == ["BEGIN IMMEDIATE", "UPDATE"]
    assert rows[0] == "BEGIN IMMEDIATE" and rows[1] == "INSERT"  # the attempt row first: no read, no file work before
    assert rows.count("INSERT") == 4  # attempt, its journal line, the evidence, its journal line


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_page_views_keep_their_request_transaction(login_as, caseworker, monkeypatch):
    seen = []
    real = views.selectors.cases_for_list

    def spy(user):
        seen.append(connection.in_atomic_block)
        return real(user)

    monkeypatch.setattr(views.selectors, "cases_for_list", spy)
    assert login_as(caseworker).get("/cases/").status_code == 200
    assert connection.vendor == "postgresql" and seen == [True]
