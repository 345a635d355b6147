"""Saturation per prefecture: coordinators only, over their organisation's cases, Paris weeks."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from attempts.saturation import saturation_summary, saturation_weeks
from tests.factories import AttemptFactory, CaseFactory, member, prefecture

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def at(days_ago, hour=10):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS)


@pytest.fixture
def data(team, other_team):
    seine = CaseFactory(team=team, prefecture=prefecture("PREF-93"))
    for days in (30, 20, 10):
        AttemptFactory(case=seine, moment=at(days))
    AttemptFactory(case=seine, moment=at(2), outcome="booked")  # 28 days after the first attempt
    neighbour = CaseFactory(team=other_team, prefecture=prefecture("PREF-93"))
    AttemptFactory(case=neighbour, moment=at(12))
    AttemptFactory(case=neighbour, moment=at(4), outcome="booked")  # 8 days
    stranger = CaseFactory(prefecture=prefecture("PREF-93"))  # another organisation
    for days in range(10):
        AttemptFactory(case=stranger, moment=at(days))
    return seine


def test_summary_counts_only_the_organisation_and_takes_the_median(coordinator, data):
    (row,) = saturation_summary(coordinator)
    assert row.cases == 2 and row.attempts == 6 and row.failed == 4
    assert row.booked_cases == 2
    assert row.median_days_to_appointment == 18  # median of 28 and 8
    assert round(row.share_failed, 2) == 0.67


def test_weeks_are_iso_weeks_in_paris_time(coordinator, team):
    case = CaseFactory(team=team)
    AttemptFactory(case=case, moment=timezone.now().astimezone(PARIS).replace(hour=0, minute=30))
    rows = saturation_weeks(coordinator, weeks=2)
    year, week, _ = timezone.localdate().isocalendar()
    assert [r.week for r in rows] == [f"{year}-S{week:02d}"]


def test_page_is_for_coordinators_and_shows_the_table(login_as, coordinator, caseworker, data):
    url = reverse("attempts:saturation")
    assert login_as(caseworker).get(url).status_code == 403
    page = login_as(coordinator).get(url)
    assert page.status_code == 200
    assert "Préfecture de la Seine-Saint-Denis (93)" in page.text
    assert "<td>18</td>" in page.text
    assert "Saturation des préfectures" in page.text


def test_nav_links_to_saturation_for_coordinators_only(login_as, coordinator, team):
    caseworker = member(team, Role.CASEWORKER)
    url = reverse("attempts:saturation")
    assert url in login_as(coordinator).get(reverse("cases:list")).text
    assert url not in login_as(caseworker).get(reverse("cases:list")).text


def test_rows_per_prefecture_and_procedure_sorted_by_department_then_latest_week_first(coordinator, team):
    paris = CaseFactory(team=team, prefecture=prefecture("PREF-75"), procedure="first_application")
    bobigny = CaseFactory(team=team, prefecture=prefecture("PREF-93"), procedure="first_application")
    for days in (15, 1):
        AttemptFactory(case=paris, moment=at(days))
    AttemptFactory(case=bobigny, moment=at(1))
    AttemptFactory(
        case=CaseFactory(team=team, prefecture=prefecture("PREF-93"), procedure="first_application"), moment=at(1)
    )
    weeks = saturation_weeks(coordinator, weeks=4)
    assert [(r.prefecture[-4:], r.cases, r.attempts) for r in weeks][:1] == [("(75)", 1, 1)]
    assert [r.prefecture[-4:] for r in weeks] == sorted(r.prefecture[-4:] for r in weeks)
    paris_weeks = [r.week for r in weeks if r.prefecture.endswith("(75)")]
    assert paris_weeks == sorted(paris_weeks, reverse=True) and len(paris_weeks) == 2
    (seine_week,) = [r for r in weeks if r.prefecture.endswith("(93)")]
    assert (seine_week.cases, seine_week.attempts) == (2, 2)
    summary = saturation_summary(coordinator)
    assert [(r.prefecture[-4:], r.cases, r.attempts, r.booked_cases) for r in summary] == [
        ("(75)", 1, 2, 0),
        ("(93)", 2, 2, 0),
    ]
    assert all(r.median_days_to_appointment is None for r in summary)
