"""Evidence is checked, hashed, thumbnailed and written before the transaction that inserts its rows.

On SQLite a transaction holds the database's only write lock: decoding a screenshot inside it made
every other writer wait. These tests run through real URLs with real transactions
(`transaction=True`) and note, at each slow step, whether a transaction was open.
"""

import pytest
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from attempts import evidence, services
from attempts.models import Attempt, Evidence
from attempts.services import attempt_record, self_report_link_create
from tests.factories import CaseFactory
from tests.test_attempts_evidence import PNG, post_attempt, stored_files

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def steps(monkeypatch):
    """The slow steps, each with whether a transaction was open when it ran, and the row inserts."""
    seen = []

    def spy(name, real):
        def wrapper(*args, **kwargs):
            seen.append((name, connection.in_atomic_block))
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(services, "validate_upload", spy("check", evidence.validate_upload))
    monkeypatch.setattr(services, "make_thumbnail", spy("thumbnail", evidence.make_thumbnail))
    monkeypatch.setattr(FileSystemStorage, "save", spy("write", FileSystemStorage.save))

    def rows(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "attempts_'):
            seen.append(("insert " + sql.split('"')[1], connection.in_atomic_block))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(rows):
        yield seen


def test_logging_an_attempt_does_the_file_work_before_its_transaction(login_as, caseworker, team, steps, settings):
    case = CaseFactory(team=team)
    response = post_attempt(login_as(caseworker), case, [SimpleUploadedFile("capture.png", PNG, "image/png")])
    assert response.status_code == 302
    assert steps == [
        ("check", False),
        ("thumbnail", False),
        ("write", False),  # the file
        ("write", False),  # its thumbnail
        ("insert attempts_attempt", True),
        ("insert attempts_evidence", True),
    ]
    stored = Attempt.objects.get(case=case).evidence.get()
    assert {p.name for p in stored_files(settings)} == {
        stored.file.name.rsplit("/", 1)[1],
        stored.thumbnail.name.rsplit("/", 1)[1],
    }


def test_the_persons_own_link_does_the_file_work_before_its_transaction(client, caseworker, team, steps):
    cache.clear()  # the link's rate limit counts in the cache
    case = CaseFactory(team=team)
    _link, token = self_report_link_create(case=case, created_by=caseworker)
    steps.clear()
    response = client.post(f"/r/{token}/", {"files": [SimpleUploadedFile("Screenshot.png", PNG, "image/png")]})
    assert response.status_code == 302
    assert steps == [
        ("check", False),
        ("thumbnail", False),
        ("write", False),
        ("write", False),
        ("insert attempts_attempt", True),
        ("insert attempts_evidence", True),
    ]
    assert Evidence.objects.filter(attempt__case=case).count() == 1


def test_rows_that_fail_after_the_files_were_written_leave_no_file(team, monkeypatch, settings):
    case = CaseFactory(team=team)

    def broken(**kwargs):
        raise RuntimeError("disk full while updating the counters")

    monkeypatch.setattr(services, "case_refresh_attempt_counters", broken)
    with pytest.raises(RuntimeError):
        attempt_record(case=case, files=[SimpleUploadedFile("capture.png", PNG, "image/png")])
    assert not Attempt.objects.exists() and not Evidence.objects.exists()
    assert stored_files(settings) == []  # the file and its thumbnail were removed with the rows
