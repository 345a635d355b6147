"""The deadline engine against DOMAIN.md's table, with frozen dates."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.deadlines import add_months, milestones_for, next_deadline, urgency_for
from cases.enums import CaseStatus, DocumentKind, ProcedureType, Urgency
from cases.models import Case, DeadlineRule, Person, ResidenceDocument
from cases.services import deadline_rule_revise, deadlines_recompute, rules_in_force
from tests.factories import CaseFactory, ResidenceDocumentFactory

pytestmark = pytest.mark.django_db
D = datetime.date
BIRTH = D(1990, 5, 14)


def case_with(procedure=ProcedureType.RENEWAL, *, anef=False, birth=BIRTH, documents=(), **fields):
    case = Case(procedure=procedure, uses_anef=anef, person=Person(last_name="X", birth_date=birth), **fields)
    return case, [ResidenceDocument(kind=kind, valid_from=start, valid_until=end) for kind, start, end in documents]


def dated(case, documents, today):
    return {m.rule_code: m.date for m in milestones_for(case, rules_in_force(today), today, documents)}


def test_anef_renewal_window_opens_at_d120_and_closes_at_d60():
    today = D(2026, 5, 1)
    case, docs = case_with(anef=True, documents=[(DocumentKind.MULTI_YEAR_CARD, D(2024, 10, 1), D(2026, 9, 30))])
    milestones = dated(case, docs, today)
    assert milestones["renewal-anef-window-opens"] == D(2026, 6, 2)
    assert milestones["renewal-anef-window-closes"] == D(2026, 8, 1)
    assert milestones["renewal-prepare"] == D(2026, 5, 3)
    assert milestones["renewal-escalate"] == D(2026, 7, 2)
    assert milestones["title-expiry"] == D(2026, 9, 30)
    assert milestones["job-centre-deregistration"] == D(2026, 10, 1)
    assert "renewal-window-opens" not in milestones  # the paper rule does not apply to ANEF


def test_other_titles_window_is_the_two_months_before_expiry_and_recepisse_runs_three_months():
    today = D(2026, 1, 10)
    case, docs = case_with(documents=[(DocumentKind.TEMPORARY_CARD, D(2025, 3, 15), D(2026, 3, 14))])
    milestones = dated(case, docs, today)
    assert milestones["renewal-window-opens"] == D(2026, 1, 14)
    assert milestones["title-expiry"] == D(2026, 3, 14)
    # 3 months from the day after expiry (R.431-12, F15763).
    assert milestones["recepisse-renewal-end"] == D(2026, 6, 15)
    assert "renewal-anef-window-closes" not in milestones
    # The next deadline of a paper renewal is the expiry itself: 63 days away.
    result = next_deadline(milestones_for(case, rules_in_force(today), today, docs), today)
    assert (result.date, result.urgency) == (D(2026, 3, 14), Urgency.LATER)


def test_implicit_rejection_four_months_after_filing():
    today = D(2026, 3, 1)
    case, docs = case_with(ProcedureType.CHANGE_OF_STATUS, filing_date=D(2026, 1, 31))
    assert dated(case, docs, today)["implicit-rejection"] == D(2026, 5, 31)
    naturalisation, _ = case_with(ProcedureType.NATURALISATION_DECREE, filing_date=D(2026, 1, 31))
    assert "implicit-rejection" not in dated(naturalisation, [], today)


def test_first_application_age_deadline_is_the_eve_of_the_19th_birthday():
    today = D(2026, 1, 15)
    case, docs = case_with(ProcedureType.FIRST_APPLICATION, birth=D(2007, 3, 1))
    milestones = milestones_for(case, rules_in_force(today), today, docs)
    assert {m.rule_code: m.date for m in milestones}["age-19-eve"] == D(2026, 2, 28)
    result = next_deadline(milestones, today)
    assert result.label == "Dernier jour pour déposer : veille des 19 ans"
    assert result.urgency == Urgency.D60
    # An adult long past the age deadlines is not shown as "expired" because of them.
    adult, _ = case_with(ProcedureType.FIRST_APPLICATION, birth=D(1985, 3, 1))
    assert next_deadline(milestones_for(adult, rules_in_force(today), today, []), today).urgency == Urgency.NONE


def test_grace_period_of_three_months_for_long_titles_only():
    today = D(2026, 2, 1)
    resident, docs = case_with(documents=[(DocumentKind.RESIDENT_CARD, D(2016, 1, 11), D(2026, 1, 10))])
    milestones = milestones_for(resident, rules_in_force(today), today, docs)
    assert {m.rule_code: m.date for m in milestones}["grace-resident-card"] == D(2026, 4, 10)
    result = next_deadline(milestones, today)
    assert result.date == D(2026, 4, 10) and result.urgency == Urgency.LATER
    assert "L.433-3" in next(m.source for m in milestones if m.rule_code == "grace-resident-card")

    four_year, docs4 = case_with(documents=[(DocumentKind.MULTI_YEAR_CARD, D(2022, 1, 11), D(2026, 1, 10))])
    assert dated(four_year, docs4, today)["grace-multi-year-card"] == D(2026, 4, 10)
    two_year, docs2 = case_with(documents=[(DocumentKind.MULTI_YEAR_CARD, D(2024, 1, 11), D(2026, 1, 10))])
    assert "grace-multi-year-card" not in dated(two_year, docs2, today)
    # Without a grace period, an expired title with nothing else pending is "expired".
    result = next_deadline(milestones_for(two_year, rules_in_force(today), today, docs2), today)
    assert result.urgency == Urgency.EXPIRED and result.date == D(2026, 1, 10)


def test_provisional_document_expiry_and_reminder_twenty_days_before():
    today = D(2026, 4, 1)
    case, docs = case_with(
        documents=[
            (DocumentKind.TEMPORARY_CARD, D(2025, 1, 1), D(2025, 12, 31)),
            (DocumentKind.RECEPISSE, D(2026, 1, 1), D(2026, 4, 30)),
        ],
        filing_date=D(2025, 12, 1),
    )
    milestones = dated(case, docs, today)
    assert milestones["provisional-expiry"] == D(2026, 4, 30)
    assert milestones["provisional-renew"] == D(2026, 4, 10)
    assert "renewal-window-opens" not in milestones  # filed: the filing window no longer applies


@pytest.mark.parametrize(
    ("days", "urgency"),
    [
        (-1, Urgency.EXPIRED),
        (0, Urgency.D7),
        (7, Urgency.D7),
        (8, Urgency.D30),
        (30, Urgency.D30),
        (31, Urgency.D60),
        (60, Urgency.D60),
        (61, Urgency.LATER),
    ],
)
def test_urgency_levels(days, urgency):
    assert urgency_for(days) == urgency


def test_closed_case_follows_no_deadline():
    today = D(2026, 1, 10)
    case, docs = case_with(documents=[(DocumentKind.TEMPORARY_CARD, None, D(2026, 1, 12))])
    assert (
        next_deadline(milestones_for(case, rules_in_force(today), today, docs), today, status=CaseStatus.CLOSED).urgency
        == Urgency.NONE
    )


def test_add_months_keeps_month_ends():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)
    assert add_months(D(2026, 5, 15), -14) == D(2025, 3, 15)


@time_machine.travel(datetime.datetime(2026, 5, 1, 10, tzinfo=datetime.UTC), tick=False)
def test_changing_a_rule_row_changes_milestones_without_code_change(admin_user):
    case, docs = case_with(anef=True, documents=[(DocumentKind.MULTI_YEAR_CARD, D(2024, 10, 1), D(2026, 9, 30))])
    today = D(2026, 5, 1)
    assert dated(case, docs, today)["renewal-anef-window-closes"] == D(2026, 8, 1)
    rule = DeadlineRule.objects.get(code="renewal-anef-window-closes")
    new = deadline_rule_revise(rule=rule, changes={"offset_days": -90, "label": "Nouveau délai"}, by=admin_user)
    assert new.version == 2
    assert dated(case, docs, today)["renewal-anef-window-closes"] == D(2026, 7, 2)
    # The previous version is kept, unchanged, for traceability.
    old = DeadlineRule.objects.get(code="renewal-anef-window-closes", version=1)
    assert old.offset_days == -60
    # A version that takes effect later does not apply yet.
    deadline_rule_revise(rule=new, changes={"offset_days": -30, "valid_from": D(2027, 1, 1)}, by=admin_user)
    assert dated(case, docs, today)["renewal-anef-window-closes"] == D(2026, 7, 2)
    # Disabling is a new inactive version.
    deadline_rule_revise(rule=new, changes={"active": False}, by=admin_user)
    assert "renewal-anef-window-closes" not in dated(case, docs, today)


@time_machine.travel(datetime.datetime(2026, 5, 1, 10, tzinfo=datetime.UTC), tick=False)
def test_recompute_stores_next_deadline_and_urgency_with_queries_independent_of_case_count():
    offsets = (-5, 3, 20, 45, 200)

    def add_cases(count):
        for index in range(count):
            case = CaseFactory(procedure=ProcedureType.RENEWAL, uses_anef=False)
            expiry = D(2026, 5, 1) + datetime.timedelta(days=offsets[index % len(offsets)])
            ResidenceDocumentFactory(person=case.person, valid_until=expiry)

    def recompute_counting_queries():
        Case.objects.update(urgency=Urgency.NONE, next_deadline_date=None, next_deadline_label="")
        with CaptureQueriesContext(connection) as queries:
            changed = deadlines_recompute(chunk_size=1000)
        return changed, len(queries)

    add_cases(5)
    assert recompute_counting_queries()[0] == 5
    urgencies = list(Case.objects.order_by("pk").values_list("urgency", flat=True))
    assert urgencies == [Urgency.EXPIRED, Urgency.D7, Urgency.D30, Urgency.D60, Urgency.LATER]
    second = Case.objects.order_by("pk")[1]
    assert second.next_deadline_label == "Expiration du titre de séjour (droits menacés)"
    assert second.next_deadline_date == D(2026, 5, 4)
    _changed, few = recompute_counting_queries()
    add_cases(120)  # same five deadlines: more cases, not more queries
    changed, many = recompute_counting_queries()
    assert changed == 125 and many == few
    assert deadlines_recompute() == 0  # idempotent
