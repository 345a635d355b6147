"""On PostgreSQL the exports are written by COPY (config/csv_copy.py): the very bytes of the Python writer.

Each test downloads an export twice through its real URL, once as users get it and once with the
SQL path switched off, on data made to break a CSV writer: formula characters, quotes, delimiters,
line breaks inside cells, empty and missing values, times on both sides of a daylight saving change,
unknown codes, translated labels.
"""

import csv
import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from rq import SimpleWorker

from attempts.enums import Channel, Outcome, Reply
from attempts.models import Attempt
from config import csv_copy
from config.csv_export import get_dialect
from litigation.models import DefenderReferral
from reports import columns, exports
from reports.models import ExportJob
from tests.factories import CaseFactory, LitigationActionFactory, PersonFactory, member, order_not_executed

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NASTY = [
    '=HYPERLINK("http://evil.example")',
    "@SUM(A1)",
    "-1+1",
    "+33 6 12 34 56 78",
    "\ttab first",
    "\rcarriage first",
    "semi;colon, and comma",
    'a "quoted" word',
    "two\nlines",
    "windows\r\nlines",
    "ends with newline\n",
    '"',
    "",
    "  spaces around  ",
    "\\.",
    "N'Diaye Ñúñez 😀 محمد",
    "100 %",
    "%s %(name)s",
]


@pytest.fixture
def data(team, caseworker):
    cases = []
    for i, text in enumerate(NASTY):
        person = PersonFactory(
            team=team,
            last_name=text or "Vide",
            first_name=NASTY[-1 - i],
            phone=text,
            email=f"p{i}@example.org" if i % 3 else "",
            foreigner_number=text[:10],
            nationality=["ML", "sn", "", "XX", "FR"][i % 5],
            birth_date=datetime.date(1980 + i, 1 + i % 12, 1 + i) if i % 4 else None,
        )
        case = CaseFactory(
            team=team,
            person=person,
            assignee=caseworker if i % 2 else None,
            uses_anef=bool(i % 2),
            filing_date=datetime.date(2026, 3, 1 + i) if i % 3 else None,
            next_deadline_label=text,
        )
        cases.append(case)
        for j in range(4):
            # Around the end of summer time in Paris (25/10/2026 03:00 -> 02:00), then mid-winter.
            moment = datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC) + datetime.timedelta(
                minutes=37 * (i * 4 + j), microseconds=123456
            )
            Attempt.objects.create(
                case=case,
                moment=moment if j < 3 else moment.replace(month=1),
                channel=[Channel.PREFECTURE_WEB, Channel.EMAIL, Channel.LRAR, Channel.PHONE][j],
                outcome=[Outcome.NO_SLOT, Outcome.TECHNICAL_ERROR, Outcome.NO_REPLY, Outcome.NO_SLOT][j],
                url=f"https://www.example.gouv.fr/rdv?{i}" if j == 0 else "",
                message=text,
                note=NASTY[(i + j) % len(NASTY)],
                acknowledgement_number=text[:20] if j == 2 else "",
                acknowledgement_date=datetime.date(2026, 9, 1 + j) if j == 2 else None,
                reply=Reply.NONE if j == 2 else "",
                reply_date=None,
            )
    Attempt.objects.filter(pk=Attempt.objects.filter(case=cases[0]).first().pk).update(channel="retired_code")
    order_not_executed(cases[0], daily_penalty_eur=Decimal("50.50"), ordered_held_within_days=15, court=NASTY[0])
    order_not_executed(cases[1], executed_on=timezone.localdate())
    LitigationActionFactory(case=cases[2], court=NASTY[8], court_case_number=NASTY[6], daily_penalty_eur=None)
    DefenderReferral.objects.create(case=cases[0], reference=NASTY[7], sent_on=datetime.date(2026, 5, 4))
    DefenderReferral.objects.create(case=cases[1], reference="", sent_on=None, outcome="intervened")
    return cases


def download(client, url, params) -> bytes:
    response = client.get(url, params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def python_only(monkeypatch):
    """Switch the SQL path off: what SQLite (and the Python writer) produces."""

    def switch():
        monkeypatch.setattr(exports, "copy_select", lambda *args, **kwargs: None)

    return switch


@pytest.fixture
def copy_used(monkeypatch):
    """Records whether each download really went through COPY."""
    used = []
    real = exports.copy_select

    def spy(*args, **kwargs):
        select = real(*args, **kwargs)
        used.append(select is not None)
        return select

    monkeypatch.setattr(exports, "copy_select", spy)
    return used


EXPORTS = ["reports:cases_export", "reports:attempts_export", "reports:litigation_export", "reports:referrals_export"]


@pytest.mark.parametrize("url_name", EXPORTS)
@pytest.mark.parametrize("dialect", ["rfc4180", "excel-fr"])
@pytest.mark.parametrize("pseudonymise", ["0", "1"])
def test_copy_writes_the_same_bytes_as_the_python_writer(
    login_as, coordinator, data, url_name, dialect, pseudonymise, python_only, copy_used
):
    client = login_as(coordinator)
    params = {"dialect": dialect, "pseudonymise": pseudonymise}
    by_copy = download(client, reverse(url_name), params)
    assert copy_used == [True]
    python_only()
    by_python = download(client, reverse(url_name), params)
    assert by_copy.count(b"\r\n") > 2  # rows, not an empty file
    assert by_copy == by_python


def test_labels_follow_the_users_language_in_both_writers(login_as, coordinator, data, python_only, copy_used):
    client = login_as(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    by_copy = download(client, reverse("reports:attempts_export"), {})
    python_only()
    assert by_copy == download(client, reverse("reports:attempts_export"), {})
    assert copy_used == [True]
    assert b",No slot available," in by_copy and "Aucun créneau".encode() not in by_copy


def test_row_ends_are_crlf_and_line_breaks_inside_cells_are_kept_whatever_the_block_size(
    login_as, coordinator, data, python_only, monkeypatch
):
    monkeypatch.setattr(csv_copy, "BLOCK_BYTES", 1)
    client = login_as(coordinator)
    by_copy = download(client, reverse("reports:attempts_export"), {})
    python_only()
    by_python = download(client, reverse("reports:attempts_export"), {})
    assert b'"two\nlines"' in by_copy and b'"windows\r\nlines"' in by_copy
    assert by_copy == by_python


def test_times_are_paris_wall_times_with_their_offset(login_as, coordinator, data):
    body = download(login_as(coordinator), reverse("reports:attempts_export"), {}).decode()
    first = Attempt.objects.filter(case=data[0]).order_by("moment").first()
    local = first.moment.astimezone(PARIS)
    assert local.strftime("%Y-%m-%dT%H:%M:%S%z") in body  # e.g. 2026-01-25T01:30:00+0100
    assert "+0200" in body and "+0100" in body  # both sides of the change of time


def test_export_job_file_is_the_same_as_the_python_writer(
    login_as, coordinator, data, python_only, settings, exports_queue, django_capture_on_commit_callbacks
):
    settings.EXPORT_ASYNC_THRESHOLD = 1
    client = login_as(coordinator)
    files = []
    for switch in (lambda: None, python_only):
        switch()
        with django_capture_on_commit_callbacks(execute=True):
            assert client.get(reverse("reports:attempts_export"), {"dialect": "excel-fr"}).status_code == 302
        # A burst worker on the real Redis, in this process (it sees the test's transaction).
        SimpleWorker([exports_queue], connection=exports_queue.connection).work(burst=True)
        job = ExportJob.objects.order_by("-pk").first()
        assert job.status == ExportJob.Status.READY, job.error
        assert job.row_count == Attempt.objects.count()
        with job.file.open("rb") as handle:
            files.append(handle.read())
    assert files[0] == files[1]
    assert files[0].startswith("\ufeffattempt_id;".encode())


def test_the_sql_path_is_never_used_for_another_teams_rows(login_as, team, data, other_team, copy_used):
    outsider = member(other_team)
    body = download(login_as(outsider), reverse("reports:attempts_export"), {})
    assert copy_used == [True]
    assert body.count(b"\r\n") == 1  # the header only: scoping is the subquery's own WHERE


def test_the_session_time_zone_is_put_back_and_a_stopped_download_ends_its_copy(
    login_as, coordinator, data, monkeypatch
):
    # What the web server does when a user cancels a download: close the response's stream.
    monkeypatch.setattr(csv_copy, "BLOCK_BYTES", 1)  # one block per row: stop with rows left to send
    queryset = exports.KINDS["attempts"].build(exports.ExportRequest(user=coordinator, GET=QueryDict()))
    stream = exports.ExportStream(queryset, list(columns.ATTEMPT_COLUMNS), get_dialect("rfc4180"))
    chunks = iter(stream)
    next(chunks)  # the header
    next(chunks)  # the first rows: the COPY is running, in the project's time zone
    stream.close()
    with connection.cursor() as cursor:  # the connection is usable, in its own time zone again
        cursor.execute("SHOW TimeZone")
        assert cursor.fetchone()[0] == connection.timezone_name
    body = download(login_as(coordinator), reverse("reports:attempts_export"), {})
    header, *rows = csv.reader(io.StringIO(body.decode(), newline=""))
    assert len(rows) == Attempt.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SHOW TimeZone")
        assert cursor.fetchone()[0] == connection.timezone_name
