"""Litigation outcome and Défenseur des droits referral exports: scoping, pseudonymisation, dialects."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from litigation.models import DefenderReferral
from reports import columns
from reports.models import ExportJob
from tests.factories import CaseFactory, LitigationActionFactory, PersonFactory, TeamFactory, order_not_executed

pytestmark = pytest.mark.django_db

PEOPLE = [
    ("Zerrouki", "Nour", "TA-2401234"),
    ('=HYPERLINK("http://evil.example")', "@SUM(A1)", "-2+3"),
]


def person_case(team, last, first):
    return CaseFactory(team=team, person=PersonFactory(team=team, last_name=last, first_name=first))


@pytest.fixture
def data(team, other_team):
    """Actions and referrals in `team`, in a same-organisation team and in another organisation."""
    today = timezone.localdate()
    mine = [person_case(team, last, first) for last, first, _number in PEOPLE]
    late = order_not_executed(
        mine[0], court_case_number=PEOPLE[0][2], daily_penalty_eur=Decimal("50.50"), ordered_held_within_days=15
    )
    executed = order_not_executed(mine[0], executed_on=today - datetime.timedelta(days=1))
    pending = LitigationActionFactory(case=mine[1], court="=cmd|' /C calc'!A0", court_case_number=PEOPLE[1][2])
    DefenderReferral.objects.create(
        case=mine[0], reference="DDD-777", sent_on=today - datetime.timedelta(days=20), outcome="intervened"
    )
    DefenderReferral.objects.create(case=mine[1], reference="+DDD-888", sent_on=today)
    theirs = person_case(other_team, "Camara", "Hawa")
    their_action = order_not_executed(theirs)
    DefenderReferral.objects.create(case=theirs, reference="DDD-999", sent_on=today)
    foreign = person_case(TeamFactory(), "Fofana", "Moussa")
    order_not_executed(foreign, court_case_number="TA-9999999")
    DefenderReferral.objects.create(case=foreign, reference="DDD-000", sent_on=today)
    return {"mine": mine, "late": late, "executed": executed, "pending": pending, "their_action": their_action}


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def parse(response, *, delimiter=",", body=None):
    body = body_of(response) if body is None else body  # a streamed body can be read once
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def by_id(rows, header, key):
    return {int(r[header.index(key)]): dict(zip(header, r, strict=True)) for r in rows}


def test_column_order_is_pinned_new_columns_only_appended():
    # Users' spreadsheets rely on these positions. Append new columns at the end; never edit this list.
    assert [c.name for c in columns.LITIGATION_COLUMNS] == [
        "action_id", "case_id", "person_pseudonym", "person_id", "last_name", "first_name", "team",
        "prefecture_code", "prefecture", "court", "court_case_number", "kind", "kind_label", "legal_aid",
        "filed_on", "hearing_on", "order_on", "outcome", "outcome_label", "ordered_appointment_within_days",
        "ordered_held_within_days", "daily_penalty_eur", "execution_due_on", "executed_on", "executed",
        "order_not_executed",
    ]  # fmt: skip
    assert [c.name for c in columns.REFERRAL_COLUMNS] == [
        "referral_id", "case_id", "person_pseudonym", "person_id", "last_name", "first_name", "team",
        "prefecture_code", "prefecture", "channel", "channel_label", "reference", "sent_on", "acknowledged_on",
        "answered_on", "outcome", "outcome_label",
    ]  # fmt: skip


def test_litigation_export_holds_the_visible_actions_with_the_not_executed_rule(login_as, caseworker, data):
    response = login_as(caseworker).get(reverse("reports:litigation_export"))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    header, *rows = parse(response)
    assert header == [c.name for c in columns.LITIGATION_COLUMNS]
    rows = by_id(rows, header, "action_id")
    assert set(rows) == {data["late"].pk, data["executed"].pk, data["pending"].pk}  # never another team's
    late, executed, pending = rows[data["late"].pk], rows[data["executed"].pk], rows[data["pending"].pk]
    assert late["case_id"] == str(data["mine"][0].pk) and late["last_name"] == "Zerrouki"
    assert late["outcome"] == "granted" and late["outcome_label"] == "Ordonnance favorable"
    assert late["court_case_number"] == "TA-2401234" and late["daily_penalty_eur"] == "50.50"
    assert (late["ordered_appointment_within_days"], late["ordered_held_within_days"]) == ("30", "15")
    assert (late["executed"], late["order_not_executed"]) == ("false", "true")
    assert (executed["executed"], executed["order_not_executed"]) == ("true", "false")
    assert (pending["outcome"], pending["order_on"], pending["order_not_executed"]) == ("pending", "", "false")
    # The flag is the queue's own rule: the same actions as the "not executed" litigation queue.
    queue = login_as(caseworker).get(reverse("litigation:queues"), {"queue": "not_executed"}).context["queues"][0]
    assert {a.pk for a in queue.rows} == {pk for pk, r in rows.items() if r["order_not_executed"] == "true"}


def test_litigation_export_filters_and_refuses_another_organisations_team(login_as, coordinator, team, data):
    client = login_as(coordinator)
    rows = parse(client.get(reverse("reports:litigation_export"), {"outcome": "pending"}))[1:]
    assert [int(r[0]) for r in rows] == [data["pending"].pk]
    rows = parse(client.get(reverse("reports:litigation_export"), {"team": data["their_action"].case.team_id}))[1:]
    assert [int(r[0]) for r in rows] == [data["their_action"].pk]
    assert len(parse(client.get(reverse("reports:litigation_export")))[1:]) == 4  # the organisation's only
    foreign_team = TeamFactory().pk
    assert client.get(reverse("reports:litigation_export"), {"team": foreign_team}).status_code == 400


def test_pseudonymised_litigation_and_referral_exports_hold_no_name_or_court_reference(login_as, coordinator, data):
    client = login_as(coordinator)
    for url, secrets in (
        ("reports:litigation_export", ["TA-2401234", "-2+3"]),
        ("reports:referrals_export", ["DDD-777", "DDD-888", "DDD-999"]),
    ):
        body = body_of(client.get(reverse(url), {"pseudonymise": "1"})).decode()
        for last, first, _number in [*PEOPLE, ("Camara", "Hawa", "")]:
            assert last not in body and first not in body
        for secret in secrets:
            assert secret not in body
        header, *rows = list(csv.reader(io.StringIO(body, newline="")))
        assert not {"last_name", "first_name", "person_id"} & set(header)
        pseudonyms = {r[header.index("person_pseudonym")] for r in rows}
        assert pseudonyms == {columns.pseudonym(c.person_id) for c in data["mine"]} | {
            columns.pseudonym(data["their_action"].case.person_id)
        }


def test_excel_fr_round_trip_and_formula_neutralisation(login_as, caseworker, data):
    client = login_as(caseworker)
    response = client.get(reverse("reports:litigation_export"), {"dialect": "excel-fr"})
    body = body_of(response)
    assert body.startswith("\ufeff".encode())
    header, *rows = parse(response, delimiter=";", body=body)
    late = by_id(rows, header, "action_id")[data["late"].pk]
    assert late["daily_penalty_eur"] == "50,50" and late["order_not_executed"] == "oui"
    assert late["order_on"] == data["late"].order_on.strftime("%d/%m/%Y")
    cells = [cell for row in rows for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells and "'-2+3" in cells and "'@SUM(A1)" in cells
    referral_header, *referral_rows = parse(
        client.get(reverse("reports:referrals_export"), {"dialect": "excel-fr"}), delimiter=";"
    )
    assert len(referral_rows) == 2 and "'+DDD-888" in [r[referral_header.index("reference")] for r in referral_rows]
    for every_cell in (cells, [c for r in referral_rows for c in r]):
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in every_cell)


def test_referrals_export_is_scoped_and_both_exports_are_audited(login_as, caseworker, data):
    client = login_as(caseworker)
    header, *rows = parse(client.get(reverse("reports:referrals_export"), {"outcome": "intervened"}))
    assert [r[header.index("reference")] for r in rows] == ["DDD-777"]
    assert {r[header.index("case_id")] for r in parse(client.get(reverse("reports:referrals_export")))[1:]} == {
        str(c.pk) for c in data["mine"]
    }
    client.get(reverse("reports:litigation_export"), {"dialect": "excel-fr", "pseudonymise": "1"})
    events = {e.details["export"]: e for e in AuditEvent.objects.filter(action=AuditAction.EXPORT)}
    assert events["referrals"].details["filters"] == {"outcome": ["intervened"]}
    assert events["referrals"].details["rows"] == 1
    litigation = events["litigation"].details
    assert (litigation["rows"], litigation["dialect"], litigation["pseudonymise"]) == (3, "excel-fr", True)
    assert all(e.actor == caseworker for e in events.values())


def test_large_litigation_export_becomes_a_job_with_the_same_rows(
    login_as, caseworker, data, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_ASYNC_THRESHOLD = 1
    settings.REDIS_URL = ""  # the job runs inline after commit
    with django_capture_on_commit_callbacks(execute=True):
        response = login_as(caseworker).get(reverse("reports:litigation_export"))
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.READY and job.row_count == 3


def test_exports_page_links_the_new_exports_and_columns_are_documented(login_as, caseworker):
    client = login_as(caseworker)
    page = client.get(reverse("reports:export_list")).text
    assert reverse("reports:litigation_export") in page and reverse("reports:referrals_export") in page
    docs = client.get(reverse("reports:export_columns")).text
    for column in (*columns.LITIGATION_COLUMNS, *columns.REFERRAL_COLUMNS):
        assert f"<code>{column.name}</code>" in docs
        assert escape(str(column.description)) in docs
