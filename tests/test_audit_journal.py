"""The audit journal page for admins, its CSV export, and "who looked at this file"."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AuditAction, Role
from accounts.services import audit_record
from tests.factories import CaseFactory, TeamFactory, member

pytestmark = pytest.mark.django_db

JOURNAL = reverse("accounts:audit_journal")
EXPORT = reverse("accounts:audit_export")


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    delimiter = ";" if body.splitlines()[0].count(";") else ","
    return list(csv.reader(io.StringIO(body), delimiter=delimiter))


@pytest.fixture
def journal(team):
    """Events of two users of the organisation, and one of another organisation."""
    alice = member(team, Role.CASEWORKER, first_name="Alice", last_name="Martin")
    bob = member(team, Role.CASEWORKER, first_name="Bob", last_name="Durand")
    case = CaseFactory(team=team)
    with time_machine.travel(datetime.datetime(2025, 3, 1, 23, 30, tzinfo=datetime.UTC)):  # 2 March in Paris
        audit_record(action=AuditAction.CASE_VIEW, actor=alice, obj=case, case_id=case.pk)
    with time_machine.travel(datetime.datetime(2025, 3, 10, 9, 0, tzinfo=datetime.UTC)):
        audit_record(action=AuditAction.CASE_UPDATE, actor=bob, obj=case, case_id=case.pk)
        audit_record(action=AuditAction.EXPORT, actor=bob, details={"export": "cases"})
    stranger = member(TeamFactory(), Role.CASEWORKER, email="stranger@other.example")
    audit_record(action=AuditAction.CASE_VIEW, actor=stranger, case_id=case.pk)
    return {"alice": alice, "bob": bob, "case": case}


def test_the_journal_is_for_admins_and_shows_only_their_organisation(login_as, team, journal, caseworker, coordinator):
    for user in (caseworker, coordinator):
        assert login_as(user).get(JOURNAL).status_code == 403
    page = login_as(member(team, Role.ADMIN)).get(JOURNAL).text
    assert "Alice Martin" in page and "Bob Durand" in page
    assert "stranger@other.example" not in page
    assert "02/03/2025 00:30:00" in page  # shown in Paris time


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"action": AuditAction.CASE_UPDATE}, {"Modification d'un dossier"}),
        ({"date_from": "2025-03-02", "date_to": "2025-03-02"}, {"Consultation d'un dossier"}),
        ({"date_from": "2025-03-03", "date_to": "2025-03-31"}, {"Modification d'un dossier", "Export"}),
    ],
)
def test_filters_by_action_and_period_in_paris_days(login_as, team, journal, filters, expected):
    admin = login_as(member(team, Role.ADMIN))
    rows = csv_rows(admin.get(EXPORT, filters))
    assert {row[2] for row in rows[1:]} == expected


def test_filters_by_user_and_case(login_as, team, journal):
    admin = login_as(member(team, Role.ADMIN))
    rows = csv_rows(admin.get(EXPORT, {"actor": journal["bob"].pk}))
    assert {row[1] for row in rows[1:]} == {journal["bob"].email}
    other_case = CaseFactory(team=team)
    audit_record(action=AuditAction.CASE_VIEW, actor=journal["alice"], case_id=other_case.pk)
    rows = csv_rows(admin.get(EXPORT, {"case_id": other_case.pk}))
    assert [row[5] for row in rows[1:]] == [str(other_case.pk)]
    page = admin.get(JOURNAL, {"case_id": other_case.pk}).text
    assert "1 événement" in page


def test_a_user_of_another_organisation_cannot_be_chosen_as_a_filter(login_as, team, journal):
    stranger = member(TeamFactory())
    response = login_as(member(team, Role.ADMIN)).get(JOURNAL, {"actor": stranger.pk})
    assert "Sélectionnez un choix valide" in response.text


def test_the_export_is_audited_and_streams_in_both_dialects(login_as, team, journal):
    admin_user = member(team, Role.ADMIN)
    admin = login_as(admin_user)
    response = admin.get(EXPORT, {"action": AuditAction.CASE_VIEW, "dialect": "excel-fr"})
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0][:3] == ["Date", "Utilisateur·rice", "Action"]
    assert rows[1][0] == "02/03/2025 00:30"
    event = admin_user.auditevent_set.get(action=AuditAction.EXPORT)
    assert event.details == {"export": "audit", "action": "case_view"}


def test_the_journal_page_is_paginated_with_a_constant_number_of_queries(
    login_as, team, journal, django_assert_num_queries
):
    admin = login_as(member(team, Role.ADMIN))
    admin.get(JOURNAL)  # warm the session
    # session (read, save), user, 2FA device, role, organisation, unread notifications, count, events,
    # and the users of the filter form (a server-side cursor on PostgreSQL: declare, fetch, close...)
    with django_assert_num_queries(14):
        admin.get(JOURNAL)
    for _ in range(60):
        audit_record(action=AuditAction.CASE_VIEW, actor=journal["alice"], case_id=journal["case"].pk)
    with django_assert_num_queries(14):
        page = admin.get(JOURNAL).text
    assert "Page 1 sur 2" in page
    assert "Page 2 sur 2" in admin.get(JOURNAL, {"page": 2}).text


def test_coordinators_see_who_looked_at_a_case_caseworkers_do_not(login_as, team, caseworker, coordinator):
    case = CaseFactory(team=team)
    reader = member(team, Role.CASEWORKER, first_name="Rita", last_name="Lectrice")
    reader_client = login_as(reader)
    reader_client.get(reverse("cases:detail", args=[case.pk]))
    reader_client.get(reverse("cases:detail", args=[case.pk]))
    page = login_as(coordinator).get(reverse("cases:detail", args=[case.pk])).text
    assert "Qui a consulté ce dossier" in page
    section = page.split("Qui a consulté ce dossier", 1)[1]
    assert f"Rita Lectrice ({reader.email})" in section
    assert timezone.localtime().strftime("%d/%m/%Y") in section
    assert "<td>2</td>" in section
    assert "Qui a consulté ce dossier" not in login_as(caseworker).get(reverse("cases:detail", args=[case.pk])).text
