import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from attempts.enums import Outcome
from attempts.models import Attempt
from cases.enums import CaseStatus, Urgency
from reports import statistics
from reports.charts import Series, bar_chart, hbar_chart, line_chart, nice_ticks
from reports.models import UrgencySnapshot
from reports.services import urgency_snapshot_take
from tests.factories import CaseFactory, TeamFactory, prefecture

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def attempt(case, moment, outcome=Outcome.NO_SLOT):
    return Attempt.objects.create(case=case, moment=moment, outcome=outcome)


def this_week_at(hour, days_ago=0):
    moment = timezone.localtime() - datetime.timedelta(days=days_ago)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def test_ticks_are_round_and_cover_the_maximum():
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(100) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(1234)[-1] >= 1234


def test_svg_is_well_formed_accessible_and_escapes_labels():
    chart = bar_chart(
        chart_id="c1",
        title="Titre <script>",
        description="desc",
        categories=["a&b", "c"],
        series=[Series("<img onerror=x>", [3, 0]), Series("autres", [1, 2])],
        stacked=True,
        bar_labels=["75 %", "0 %"],
    )
    root = ET.fromstring(str(chart.svg))  # noqa: S314 - our own output; parses: well-formed, every text escaped
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Titre <script>"
    assert "<script>" not in str(chart.svg) and "<img" not in str(chart.svg)
    assert chart.rows == [["a&b", 3, 1, "75 %"], ["c", 0, 2, "0 %"]]
    # Series differ by pattern, not only by colour: the second one is hatched.
    assert 'fill="url(#c1-hatch)"' in str(chart.svg)
    for chart in (
        hbar_chart(chart_id="h", title="t", description="d", labels=["x"], values=[2.5], unit="jours"),
        line_chart(chart_id="l", title="t", description="d", x_labels=["1", "2"], series=[Series("s", [1, None])]),
    ):
        ET.fromstring(str(chart.svg))  # noqa: S314 - our own output


def test_urgency_snapshot_is_one_row_per_team_and_day_and_safe_to_rerun(team, other_team):
    CaseFactory.create_batch(2, team=team, urgency=Urgency.EXPIRED)
    CaseFactory(team=team, urgency=Urgency.D30)
    CaseFactory(team=team, urgency=Urgency.D7, status=CaseStatus.CLOSED)
    CaseFactory(team=other_team, urgency=Urgency.D7)
    assert urgency_snapshot_take() == 2
    CaseFactory(team=team, urgency=Urgency.EXPIRED)
    assert urgency_snapshot_take() == 2
    snapshot = UrgencySnapshot.objects.get(team=team, day=timezone.localdate())
    assert (snapshot.expired, snapshot.d7, snapshot.d30) == (3, 0, 1)
    assert UrgencySnapshot.objects.count() == 2


def test_urgency_history_adds_todays_live_counts_to_the_snapshots(login_as, coordinator, team):
    today = timezone.localdate()
    UrgencySnapshot.objects.create(
        organisation=team.organisation, team=team, day=today - datetime.timedelta(days=1), expired=4, d7=2
    )
    other = TeamFactory()
    UrgencySnapshot.objects.create(
        organisation=other.organisation, team=other, day=today - datetime.timedelta(days=1), expired=99
    )
    CaseFactory(team=team, urgency=Urgency.EXPIRED)
    rows = statistics.urgency_history(coordinator)
    assert [(r["day"], r["expired"], r["d7"]) for r in rows] == [
        (today - datetime.timedelta(days=1), 4, 2),
        (today, 1, 0),
    ]
    response = login_as(coordinator).get(reverse("reports:charts"))
    chart = response.context["charts"]["urgency_history"]
    assert chart.rows[-1][:3] == [today.strftime("%d/%m"), 1, 0]
    assert 'id="urgency-history-title"' in response.text and "<details>" in response.text


def test_saturation_per_prefecture_and_week_counts_only_visible_attempts(login_as, coordinator, team):
    seine_st_denis = CaseFactory(team=team, prefecture=prefecture("PREF-93"))
    val_de_marne = CaseFactory(team=team, prefecture=prefecture("PREF-94"))
    for hour in (9, 13, 18):
        attempt(seine_st_denis, this_week_at(hour))
    attempt(seine_st_denis, this_week_at(10), Outcome.TECHNICAL_ERROR)
    attempt(val_de_marne, this_week_at(11), Outcome.BOOKED)
    elsewhere = CaseFactory(prefecture=prefecture("PREF-93"))  # another organisation
    for hour in (8, 9, 10, 11, 12):
        attempt(elsewhere, this_week_at(hour))
    response = login_as(coordinator).get(reverse("reports:charts"))
    charts = response.context["charts"]["saturation"]
    assert [c.chart_id for c in charts] == [
        f"saturation-{seine_st_denis.prefecture_id}",
        f"saturation-{val_de_marne.prefecture_id}",
    ]
    this_week = charts[0].rows[-1]
    assert this_week[1:] == [3, 1, "75 %"]  # no slot, other outcomes, share of no slot
    assert charts[1].rows[-1][1:] == [0, 1, "0 %"]


def test_median_days_to_appointment_per_prefecture(login_as, coordinator, team):
    start = timezone.now() - datetime.timedelta(days=60)
    for days in (10, 20, 40):
        case = CaseFactory(team=team, prefecture=prefecture("PREF-93"))
        attempt(case, start)
        attempt(case, start + datetime.timedelta(days=3))
        attempt(case, start + datetime.timedelta(days=days), Outcome.BOOKED)
    no_booking = CaseFactory(team=team, prefecture=prefecture("PREF-93"))
    attempt(no_booking, start)
    rows = statistics.median_days_to_appointment(coordinator)
    assert rows == [{"prefecture": prefecture("PREF-93").name, "cases": 3, "median_days": 20.0}]
    # The fallback used without PostgreSQL gives the same figures from the same per-case rows.
    per_case = statistics._per_case_waits(coordinator).values_list("prefecture", "first_try", "booked")
    assert statistics.median_days_in_python(per_case) == rows
    chart = login_as(coordinator).get(reverse("reports:charts")).context["charts"]["median_wait"]
    assert chart.rows == [[f"{prefecture('PREF-93').name} (3)", 20.0]]


def test_referes_filed_and_granted_per_month_count_only_visible_referes(login_as, caseworker, team, other_team):
    from tests.factories import LitigationActionFactory

    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = statistics.first_of_month(today, 1)
    for outcome in ("granted", "partly_granted", "rejected", "pending"):
        LitigationActionFactory(case=CaseFactory(team=team), filed_on=this_month, outcome=outcome)
    LitigationActionFactory(case=CaseFactory(team=team), filed_on=last_month, outcome="granted")
    LitigationActionFactory(case=CaseFactory(team=team), filed_on=last_month, kind="recours")  # not a référé
    LitigationActionFactory(case=CaseFactory(team=team), filed_on=None)  # not filed yet
    old = statistics.first_of_month(today, 12)  # 13 months ago: outside the chart
    LitigationActionFactory(case=CaseFactory(team=team), filed_on=old)
    LitigationActionFactory(case=CaseFactory(team=other_team), filed_on=this_month)  # caseworker's other team
    LitigationActionFactory(case=CaseFactory(), filed_on=this_month, outcome="granted")  # another organisation
    response = login_as(caseworker).get(reverse("reports:charts"))
    chart = response.context["charts"]["referes"]
    assert chart.columns == ["Mois de dépôt", "Déposés", "Ordonnance favorable", "Part obtenue"]
    assert len(chart.rows) == 12 and chart.rows[0][0] == statistics.first_of_month(today, 11).strftime("%m/%Y")
    assert chart.rows[-1] == [this_month.strftime("%m/%Y"), 4, 2, "50 %"]
    assert chart.rows[-2] == [last_month.strftime("%m/%Y"), 1, 1, "100 %"]
    assert sum(row[1] for row in chart.rows) == 5
    assert all(row[1:] == [0, 0, ""] for row in chart.rows[:-2])
    root = ET.fromstring(str(chart.svg))  # noqa: S314 - our own output
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "Référés déposés et obtenus par mois"
    # The page shows the chart with its data table (the figures a screen reader reads).
    assert 'id="referes"' in response.text and "5 référés déposés sur 12 mois, dont 3" in response.text
