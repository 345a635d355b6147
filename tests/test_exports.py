import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from rq import SimpleWorker

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from attempts.enums import Outcome
from attempts.models import Attempt
from reports import columns
from reports.exports import KINDS
from reports.models import ExportJob
from reports.services import exports_purge_expired
from tests.factories import CaseFactory, PersonFactory, TeamFactory, prefecture

pytestmark = pytest.mark.django_db

PEOPLE = [
    # last name, first name, phone, email, foreigner number
    ("Zerrouki", "Nour", "06 11 22 33 44", "nour.zerrouki@example.org", "7501234567"),
    ("Ouattara", "Sékou", "+33 7 55 66 77 88", "sekou.o@example.org", "9300000042"),
    ('=HYPERLINK("http://evil.example")', "@SUM(A1)", "-1+1", "x@example.org", "9400000001"),
]


def person_case(team, last, first, phone, email, number, **case_kwargs):
    person = PersonFactory(
        team=team, last_name=last, first_name=first, phone=phone, email=email, foreigner_number=number
    )
    return CaseFactory(team=team, person=person, **case_kwargs)


def attempt(case, days_ago=0, outcome=Outcome.NO_SLOT, **kwargs):
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    return Attempt.objects.create(case=case, moment=moment, outcome=outcome, **kwargs)


@pytest.fixture
def data(team, other_team):
    """Visible cases in `team`, a same-organisation team and another organisation."""
    mine = [person_case(team, *p) for p in PEOPLE]
    for case in mine:
        attempt(case, 1)
        attempt(case, 2, Outcome.TECHNICAL_ERROR, note="+cmd|' /C calc'!A0")
    theirs = person_case(other_team, "Camara", "Hawa", "06 99 99 99 99", "hawa@example.org", "9100000099")
    attempt(theirs, 1)
    foreign = person_case(TeamFactory(), "Fofana", "Moussa", "06 88 88 88 88", "moussa@example.org", "9500000077")
    attempt(foreign, 1)
    return {"mine": mine, "theirs": theirs, "foreign": foreign}


def parse(response, *, delimiter=",", encoding="utf-8"):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode(encoding)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_column_order_is_pinned_new_columns_only_appended():
    # Users' spreadsheets rely on these positions. Append new columns at the end; never edit this list.
    assert [c.name for c in columns.CASE_COLUMNS] == [
        "case_id", "person_pseudonym", "person_id", "last_name", "first_name", "birth_date", "birth_year",
        "nationality", "phone", "email", "foreigner_number", "team", "assignee", "procedure", "procedure_label",
        "prefecture_code", "prefecture", "uses_anef", "status", "status_label", "next_deadline_date",
        "next_deadline_label", "urgency", "readiness", "readiness_label", "readiness_since", "attempt_count",
        "last_attempt_at", "filing_date", "created_at", "closed_at", "nationality_label",
    ]  # fmt: skip
    assert [c.name for c in columns.ATTEMPT_COLUMNS] == [
        "attempt_id", "case_id", "person_pseudonym", "last_name", "first_name", "team", "prefecture_code",
        "prefecture", "procedure", "moment", "channel", "channel_label", "outcome", "outcome_label", "url",
        "message", "recorded_via", "evidence_count", "acknowledgement_number", "acknowledgement_date", "reply",
        "reply_date", "note",
    ]  # fmt: skip
    assert [c.name for c in columns.SATURATION_COLUMNS] == [
        "prefecture_code", "prefecture", "week", "attempts", "no_slot", "no_slot_share", "cases",
    ]  # fmt: skip


def test_attempts_export_holds_exactly_the_visible_attempts(login_as, caseworker, data):
    response = login_as(caseworker).get(reverse("reports:attempts_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = parse(response)
    expected = Attempt.objects.filter(case__in=data["mine"]).values_list("pk", flat=True)
    assert sorted(int(r[0]) for r in rows) == sorted(expected)
    text = "\n".join(";".join(r) for r in rows)
    assert "Camara" not in text and "Fofana" not in text


def test_attempts_export_filters_by_outcome_prefecture_and_dates(login_as, coordinator, team, data):
    client = login_as(coordinator)
    rows = parse(client.get(reverse("reports:attempts_export"), {"outcome": Outcome.TECHNICAL_ERROR}))[1:]
    assert len(rows) == 3 and {r[12] for r in rows} == {"technical_error"}
    elsewhere = CaseFactory(team=team, prefecture=prefecture("PREF-94"))
    attempt(elsewhere, 1)
    rows = parse(client.get(reverse("reports:attempts_export"), {"prefecture": "PREF-94"}))[1:]
    assert [r[1] for r in rows] == [str(elsewhere.pk)]
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    rows = parse(client.get(reverse("reports:attempts_export"), {"date_from": yesterday, "date_to": yesterday}))[1:]
    assert len(rows) == 5  # the day-1 attempts of the organisation (3 mine, 1 other team, 1 new)
    rows = parse(client.get(reverse("reports:attempts_export"), {"team": team.pk}))[1:]
    assert {r[5] for r in rows} == {team.name}


def test_invalid_filters_are_refused_not_ignored(login_as, coordinator, data):
    response = login_as(coordinator).get(reverse("reports:attempts_export"), {"date_from": "32/13/2026"})
    assert response.status_code == 400
    foreign_team = data["foreign"].team_id
    assert login_as(coordinator).get(reverse("reports:attempts_export"), {"team": foreign_team}).status_code == 400


def test_formula_cells_are_neutralised(login_as, caseworker, data):
    header, *rows = parse(login_as(caseworker).get(reverse("reports:attempts_export")))
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://evil.example")' in cells
    assert "'@SUM(A1)" in cells
    assert "'+cmd|' /C calc'!A0" in cells
    assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in cells)


def test_excel_fr_parses_back_with_semicolons_and_bom(login_as, caseworker, data):
    response = login_as(caseworker).get(reverse("reports:attempts_export"), {"dialect": "excel-fr"})
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    header, *rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert header[0] == "attempt_id" and len(rows) == 6
    moment = rows[0][header.index("moment")]
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", moment)  # French date and time


def test_pseudonymised_export_holds_no_name_phone_email_or_number(login_as, coordinator, data):
    response = login_as(coordinator).get(reverse("reports:attempts_export"), {"pseudonymise": "1"})
    body = b"".join(response.streaming_content).decode()
    for last, first, phone, email, number in PEOPLE + [
        ("Camara", "Hawa", "06 99 99 99 99", "hawa@example.org", "9100000099")
    ]:
        for secret in (last, first, phone, email, number):
            assert secret not in body
    header, *rows = list(csv.reader(io.StringIO(body, newline="")))
    assert "last_name" not in header and "note" not in header
    pseudonyms = {r[header.index("person_pseudonym")] for r in rows}
    assert len(pseudonyms) == 4  # one stable id per person, the same on every row of that person
    again = b"".join(
        login_as(coordinator).get(reverse("reports:attempts_export"), {"pseudonymise": "1"}).streaming_content
    )
    assert again.decode() == body


def test_every_export_is_audited_with_its_filters_and_row_count(login_as, coordinator, data):
    login_as(coordinator).get(reverse("reports:attempts_export"), {"outcome": "no_slot", "dialect": "excel-fr"})
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == coordinator
    assert event.details["export"] == "attempts"
    assert event.details["filters"] == {"outcome": ["no_slot"]}
    assert event.details["rows"] == 4 and event.details["dialect"] == "excel-fr"


def test_saturation_export_per_prefecture_and_week(login_as, coordinator, data):
    header, *rows = parse(login_as(coordinator).get(reverse("reports:saturation_export")))
    assert header == [c.name for c in columns.SATURATION_COLUMNS]
    assert sum(int(r[3]) for r in rows) == 7  # the organisation's attempts, never another's
    assert sum(int(r[4]) for r in rows) == 4


def test_large_export_runs_as_a_job_scoped_to_its_owner(
    login_as, caseworker, coordinator, data, settings, exports_queue, django_capture_on_commit_callbacks
):
    settings.EXPORT_ASYNC_THRESHOLD = 2
    client = login_as(caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("reports:attempts_export"), {"dialect": "excel-fr", "pseudonymise": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("reports:export_list")
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.PENDING and exports_queue.count == 1
    # A burst worker on the real Redis, in this process (it sees the test's transaction).
    SimpleWorker([exports_queue], connection=exports_queue.connection).work(burst=True)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.READY and job.row_count == 6
    page = client.get(reverse("reports:export_list"))
    download = reverse("reports:export_download", args=[job.pk])
    assert download in page.text
    response = client.get(download)
    body = b"".join(response.streaming_content)
    header, *rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    expected = Attempt.objects.filter(case__in=data["mine"]).values_list("pk", flat=True)
    assert sorted(int(r[0]) for r in rows) == sorted(expected)  # never the other team's attempt
    assert "Zerrouki" not in body.decode("utf-8-sig")
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.details["rows"] == 6 and event.details["mode"] == "job" and event.actor == caseworker
    # Only the owner can download it, even a coordinator of the same organisation gets a 404.
    assert login_as(coordinator).get(download).status_code == 404


def test_export_job_without_redis_runs_inline_after_commit(
    login_as, coordinator, data, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_ASYNC_THRESHOLD = 0
    settings.REDIS_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        login_as(coordinator).get(reverse("reports:saturation_export"))
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.READY and job.row_count >= 1
    assert job.file.storage.exists(job.file.name)


def test_expired_exports_are_deleted_with_their_file(
    login_as, coordinator, data, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_ASYNC_THRESHOLD = 0
    settings.REDIS_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        login_as(coordinator).get(reverse("reports:attempts_export"))
    job = ExportJob.objects.get()
    name, storage = job.file.name, job.file.storage
    assert exports_purge_expired() == 0
    later = job.expires_at + datetime.timedelta(seconds=1)
    assert exports_purge_expired(now=later) == 1
    assert not ExportJob.objects.exists() and not storage.exists(name)


def test_columns_page_documents_every_column(login_as, caseworker):
    response = login_as(caseworker).get(reverse("reports:export_columns"))
    for column in [c for kind in KINDS.values() for c in kind.columns]:
        assert f"<code>{column.name}</code>" in response.text
        assert escape(str(column.description)) in response.text


def listed_case_ids(client, params):
    response = client.get(reverse("cases:list"), params)
    assert response.status_code == 200
    assert response.context["page"].paginator.num_pages == 1
    return [case.pk for case in response.context["page"]]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"scope": "teams"},
        {"scope": "teams", "urgency": "0"},
        {"scope": "teams", "status": "attempting", "sort": "name"},
        {"scope": "teams", "q": "zerrouki"},
    ],
)
def test_cases_export_holds_exactly_the_rows_of_the_filtered_list(login_as, caseworker, team, data, params):
    for case in data["mine"][:2]:
        case.assignee = caseworker
        case.urgency = 0
        case.save()
    client = login_as(caseworker)
    header, *rows = parse(client.get(reverse("reports:cases_export"), params))
    exported = [int(r[0]) for r in rows]
    assert exported == listed_case_ids(client, params)  # same rows, same order
    assert data["theirs"].pk not in exported and data["foreign"].pk not in exported


def test_cases_export_for_a_coordinator_covers_the_organisation_not_another(login_as, coordinator, data):
    client = login_as(coordinator)
    header, *rows = parse(client.get(reverse("reports:cases_export")))
    exported = sorted(int(r[0]) for r in rows)
    assert exported == sorted([c.pk for c in data["mine"]] + [data["theirs"].pk])
    assert exported == sorted(listed_case_ids(client, {}))


def test_pseudonymised_cases_export_keeps_the_birth_year_only(login_as, coordinator, data):
    response = login_as(coordinator).get(reverse("reports:cases_export"), {"pseudonymise": "1"})
    body = b"".join(response.streaming_content).decode()
    for person in PEOPLE:
        for secret in person:
            assert secret not in body
    assert "1990-05-14" not in body
    header, *rows = list(csv.reader(io.StringIO(body, newline="")))
    assert {"birth_date", "last_name", "phone", "email", "foreigner_number", "person_id"}.isdisjoint(header)
    assert {r[header.index("birth_year")] for r in rows} == {"1990"}
    assert [c.name for c in columns.columns_for(columns.CASE_COLUMNS, pseudonymise=True)] == header


def test_large_cases_export_job_never_holds_another_teams_rows(
    login_as, caseworker, data, settings, exports_queue, django_capture_on_commit_callbacks
):
    settings.EXPORT_ASYNC_THRESHOLD = 1
    client = login_as(caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("reports:cases_export"), {"scope": "teams"})
    SimpleWorker([exports_queue], connection=exports_queue.connection).work(burst=True)
    job = ExportJob.objects.get()
    assert job.params == {"scope": ["teams"]}
    with job.file.open("rb") as stored:
        header, *rows = list(csv.reader(io.StringIO(stored.read().decode(), newline="")))
    assert sorted(int(r[0]) for r in rows) == sorted(c.pk for c in data["mine"])
    assert sorted(int(r[0]) for r in rows) == sorted(listed_case_ids(client, {"scope": "teams"}))
