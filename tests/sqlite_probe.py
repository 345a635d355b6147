"""Requests against the embedded SQLite database, run in a process of its own by test_sqlite_embedded.

The test suite runs on PostgreSQL; this module runs the same project settings on SQLite:

    SQLITE_PATH=/tmp/x/db.sqlite3 PROBE_MEDIA=/tmp/x/media python -m tests.sqlite_probe

It migrates a fresh database, then prints one JSON object: the connection's pragmas, which SQL
statements each request ran inside a transaction, and what a page answers while another process
holds SQLite's write lock.
"""

import json
import os
import sqlite3
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import OperationalError, connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

PNG = (
    Path(__file__).resolve().parent.parent / "attempts" / "demo_data" / "noslot-desktop-2026-10-05-0912.png"
).read_bytes()


def pragmas() -> dict:
    with connection.cursor() as cursor:
        values = {name: cursor.execute(f"PRAGMA {name}").fetchone()[0] for name in ("journal_mode", "synchronous")}
        values["busy_timeout"] = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
    values["transaction_mode"] = connection.transaction_mode
    values["atomic_requests"] = connection.settings_dict["ATOMIC_REQUESTS"]
    return values


class Statements:
    """A request's statements: the SELECTs run outside any transaction, and each transaction's
    statements (its first word: SELECT, INSERT, UPDATE, SAVEPOINT...), in order."""

    def __init__(self):
        self.selects_outside = 0
        self.transactions = []

    def __call__(self, execute, sql, params, many, context):
        word = sql.split(None, 1)[0].upper()
        if word == "BEGIN":
            self.transactions.append([sql])
        elif connection.in_atomic_block:
            self.transactions[-1].append(word)
        elif word == "SELECT":
            self.selects_outside += 1
        return execute(sql, params, many, context)


def record(client, method, url, data=None):
    statements = Statements()
    with connection.execute_wrapper(statements):
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    return {
        "status": response.status_code,
        "selects_outside": statements.selects_outside,
        "transactions": statements.transactions,
    }


def while_another_process_writes(client, method, url, data=None):
    """Answer to a request while another connection holds the write lock (released afterwards)."""
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        return {"status": response.status_code, "shows_case": "PROBE-LAMBERT" in response.text}
    except OperationalError as error:
        return {"error": str(error)}
    finally:
        other.execute("ROLLBACK")
        other.close()


def main():
    call_command("migrate", verbosity=0)
    from accounts.enums import Role
    from attempts.models import Attempt
    from tests.factories import CaseFactory, PersonFactory, TeamFactory, member

    team = TeamFactory()
    caseworker = member(team, Role.CASEWORKER)
    case = CaseFactory(team=team, assignee=caseworker, person=PersonFactory(team=team, last_name="Probe-Lambert"))
    client = Client()
    client.force_login(caseworker, backend="django.contrib.auth.backends.ModelBackend")
    client.get(reverse("cases:list"))  # warm-up: first-request work is not what is measured

    out = {"pragmas": pragmas()}
    out["list"] = record(client, "get", reverse("cases:list"))
    out["case"] = record(client, "get", reverse("cases:detail", args=[case.pk]))
    harm = {"kind": "job_suspended", "occurred_on": timezone.localdate().isoformat(), "note": "sonde"}
    out["harm_post"] = record(client, "post", reverse("cases:harm_new", args=[case.pk]), harm)
    attempt = {
        "moment": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "outcome": "no_slot",
        "channel": "prefecture_web",
        "files": [_upload()],
    }
    out["attempt_post"] = record(client, "post", reverse("attempts:create", args=[case.pk]), attempt)
    out["attempts_stored"] = Attempt.objects.filter(case=case, evidence_count=1).count()

    # A second connection holds the write lock (an import, a nightly job, another worker's write).
    # Lock waits are shortened to 0.5 s and the session is not re-saved, so that only the view's
    # own needs are seen.
    connection.close()
    connection.settings_dict["OPTIONS"] = {**connection.settings_dict["OPTIONS"], "timeout": 0.5}
    with override_settings(SESSION_SAVE_EVERY_REQUEST=False):
        out["list_while_locked"] = while_another_process_writes(client, "get", reverse("cases:list"))
        out["harm_post_while_locked"] = while_another_process_writes(
            client, "post", reverse("cases:harm_new", args=[case.pk]), harm
        )
    json.dump(out, sys.stdout)


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("capture.png", PNG, "image/png")


if __name__ == "__main__":
    with override_settings(
        ALLOWED_HOSTS=["testserver"],
        MEDIA_ROOT=os.environ["PROBE_MEDIA"],
        STORAGES={
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": os.environ["PROBE_MEDIA"]},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        main()
