"""Reads behind the charts: aggregated in SQL, scoped by the one rule, no case loaded in Python.

Every function starts from `Case.objects.visible_to(user)` (or attempts of visible cases):
statistics are not personal data, but a caseworker's figures must still cover only their teams.
"""

import datetime
import statistics as pystats
import zoneinfo
from collections import defaultdict

from django.db import connection
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from attempts.enums import FAILED_OUTCOMES, Outcome
from attempts.models import Attempt
from cases.enums import Urgency
from cases.models import Case
from litigation.enums import ORDERING_OUTCOMES, ActionKind
from litigation.selectors import actions_for_user
from reports.models import UrgencySnapshot

PARIS = zoneinfo.ZoneInfo("Europe/Paris")

# Snapshot fields, in urgency order, with the Urgency level each one counts.
SNAPSHOT_FIELDS = (
    ("expired", Urgency.EXPIRED),
    ("d7", Urgency.D7),
    ("d30", Urgency.D30),
    ("d60", Urgency.D60),
    ("later", Urgency.LATER),
    ("no_deadline", Urgency.NONE),
)


def urgency_counts_expressions() -> dict:
    return {name: Count("pk", filter=Q(urgency=level)) for name, level in SNAPSHOT_FIELDS}


def weekly_attempts(user, *, weeks: int = 12, now: datetime.datetime | None = None) -> list[dict]:
    """Attempts and "no slot" answers per prefecture and ISO week (Paris time), last `weeks` weeks.

    Rows: prefecture_id, prefecture (name), week (date of the Monday), total, no_slot.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    first_monday = today - datetime.timedelta(days=today.weekday() + 7 * (weeks - 1))
    start = datetime.datetime.combine(first_monday, datetime.time.min, tzinfo=PARIS)
    return list(
        Attempt.objects.visible_to(user)
        .filter(moment__gte=start)
        .annotate(week=TruncWeek("moment", tzinfo=PARIS))
        .values("case__prefecture_id", "case__prefecture__name", "week")
        .annotate(total=Count("pk"), no_slot=Count("pk", filter=Q(outcome=Outcome.NO_SLOT)))
        .order_by("case__prefecture__name", "week")
    )


def _per_case_waits(user):
    """Per case that got an appointment: its prefecture, first failed attempt, first booked one."""
    return (
        Attempt.objects.visible_to(user)
        .values("case_id")
        .annotate(
            prefecture=Min("case__prefecture__name"),
            first_try=Min("moment", filter=Q(outcome__in=FAILED_OUTCOMES)),
            booked=Min("moment", filter=Q(outcome=Outcome.BOOKED)),
        )
        .filter(booked__isnull=False, first_try__isnull=False)
        .order_by()
    )


MEDIAN_SQL = (
    "SELECT prefecture, COUNT(*), "
    "percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (booked - first_try)) / 86400.0) "
    "FROM ({per_case}) AS per_case WHERE booked >= first_try GROUP BY prefecture ORDER BY prefecture"
)


def median_days_to_appointment(user) -> list[dict]:
    """Median days from the first failed attempt to the appointment, per prefecture.

    PostgreSQL computes the median (percentile_cont) over the per-case subquery; other
    databases (the embedded SQLite of `make run`) stream the per-case waits and take the
    median in Python, one number per case, no model instance.
    Rows: prefecture, cases, median_days (1 decimal).
    """
    per_case = _per_case_waits(user)
    if connection.vendor == "postgresql":
        sql, params = per_case.query.sql_with_params()
        # The inner SQL is Django's own compiled query; values are passed as parameters.
        query = MEDIAN_SQL.format(per_case=sql)
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return [
                {"prefecture": name, "cases": count, "median_days": round(float(median), 1)}
                for name, count, median in cursor.fetchall()
            ]
    return median_days_in_python(per_case.values_list("prefecture", "first_try", "booked").iterator())


def median_days_in_python(rows) -> list[dict]:
    """The fallback of `median_days_to_appointment`: rows of (prefecture, first_try, booked)."""
    waits = defaultdict(list)
    for prefecture, first_try, booked in rows:
        if booked >= first_try:
            waits[prefecture].append((booked - first_try).total_seconds() / 86400)
    return [
        {"prefecture": name, "cases": len(values), "median_days": round(pystats.median(values), 1)}
        for name, values in sorted(waits.items())
    ]


def _snapshot_scope(user):
    qs = UrgencySnapshot.objects.filter(organisation_id=user.organisation_id)
    if not user.is_coordinator:
        qs = qs.filter(team_id__in=user.team_ids())
    return qs


def urgency_history(user, *, days: int = 84, team_id: int | None = None, now=None) -> list[dict]:
    """Open cases per urgency level per day: recorded snapshots, then today's live counts.

    Rows: day, expired, d7, d30, d60, later, no_deadline (summed over the user's teams).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    names = [name for name, _level in SNAPSHOT_FIELDS]
    snapshots = _snapshot_scope(user).filter(day__gte=today - datetime.timedelta(days=days), day__lt=today)
    cases = Case.objects.visible_to(user).open()
    if team_id is not None:
        snapshots = snapshots.filter(team_id=team_id)
        cases = cases.filter(team_id=team_id)
    rows = list(snapshots.values("day").annotate(**{n: Sum(n) for n in names}).order_by("day"))
    live = cases.aggregate(**urgency_counts_expressions())
    rows.append({"day": today, **live})
    return rows


REFERE_KINDS = (ActionKind.REFERE_MESURES_UTILES, ActionKind.REFERE_SUSPENSION)


def first_of_month(day: datetime.date, months_back: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def monthly_referes(user, *, months: int = 12, now: datetime.datetime | None = None) -> list[dict]:
    """Référés filed per month (filing date, last `months` months) and, among them, those granted.

    "Granted" is an order that tells the prefecture to act, in full or in part (ORDERING_OUTCOMES):
    the month is the filing month, so each bar reads "of the référés filed that month, so many won".
    Rows: month (first day), filed, granted. One query, scoped to the visible cases.
    """
    today = timezone.localdate(now or timezone.now())
    return list(
        actions_for_user(user)
        .filter(kind__in=REFERE_KINDS, filed_on__gte=first_of_month(today, months - 1), filed_on__lte=today)
        .annotate(month=TruncMonth("filed_on"))
        .values("month")
        .annotate(filed=Count("pk"), granted=Count("pk", filter=Q(outcome__in=ORDERING_OUTCOMES)))
        .order_by("month")
    )
