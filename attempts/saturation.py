"""Saturation of prefecture booking, over the cases a coordinator may see.

Counts are grouped in SQL (week numbers in Europe/Paris time); only the median, which SQLite
cannot compute, is taken in Python over one row per case.
"""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.db.models.functions import ExtractIsoYear, ExtractWeek
from django.utils import timezone

from attempts.enums import FAILED_OUTCOMES, Outcome
from attempts.models import Attempt
from attempts.selectors import PARIS
from cases.enums import ProcedureType
from cases.models import Case


@dataclass(frozen=True)
class WeekRow:
    prefecture: str
    procedure: str
    week: str  # ISO week, e.g. "2026-S41"
    attempts: int
    failed: int
    cases: int

    @property
    def share_failed(self) -> float:
        return self.failed / self.attempts if self.attempts else 0.0


@dataclass(frozen=True)
class SummaryRow:
    prefecture: str
    procedure: str
    cases: int
    attempts: int
    failed: int
    booked_cases: int
    median_days_to_appointment: float | None

    @property
    def share_failed(self) -> float:
        return self.failed / self.attempts if self.attempts else 0.0


def _label(procedure: str) -> str:
    return str(ProcedureType(procedure).label) if procedure in ProcedureType.values else procedure


def _scoped(user):
    return Attempt.objects.filter(case__in=Case.objects.visible_to(user))


def saturation_weeks(user, *, weeks: int = 12) -> list[WeekRow]:
    since = timezone.now() - datetime.timedelta(weeks=weeks)
    rows = (
        _scoped(user)
        .filter(moment__gte=since)
        .annotate(iso_year=ExtractIsoYear("moment", tzinfo=PARIS), iso_week=ExtractWeek("moment", tzinfo=PARIS))
        .values(
            "case__prefecture__name", "case__prefecture__department_code", "case__procedure", "iso_year", "iso_week"
        )
        .annotate(
            n=Count("id"),
            failed=Count("id", filter=Q(outcome__in=FAILED_OUTCOMES)),
            cases=Count("case_id", distinct=True),
        )
        .order_by(
            "case__prefecture__department_code", "case__prefecture__name", "case__procedure", "-iso_year", "-iso_week"
        )
    )
    return [
        WeekRow(
            prefecture=f"{r['case__prefecture__name']} ({r['case__prefecture__department_code']})",
            procedure=_label(r["case__procedure"]),
            week=f"{r['iso_year']}-S{r['iso_week']:02d}",
            attempts=r["n"],
            failed=r["failed"],
            cases=r["cases"],
        )
        for r in rows
    ]


def saturation_summary(user) -> list[SummaryRow]:
    """Per prefecture and procedure, all time: share without a slot, median days to an appointment."""
    per_case = (
        _scoped(user)
        .values("case_id", "case__prefecture__name", "case__prefecture__department_code", "case__procedure")
        .annotate(
            n=Count("id"),
            failed=Count("id", filter=Q(outcome__in=FAILED_OUTCOMES)),
            first=Min("moment"),
            booked=Min("moment", filter=Q(outcome=Outcome.BOOKED)),
        )
        .order_by()
    )
    groups: dict[tuple, dict] = {}
    for r in per_case:
        key = (r["case__prefecture__department_code"], r["case__prefecture__name"], r["case__procedure"])
        group = groups.setdefault(key, {"cases": 0, "attempts": 0, "failed": 0, "days": []})
        group["cases"] += 1
        group["attempts"] += r["n"]
        group["failed"] += r["failed"]
        if r["booked"] is not None:
            first_day = r["first"].astimezone(PARIS).date()
            group["days"].append((r["booked"].astimezone(PARIS).date() - first_day).days)
    return [
        SummaryRow(
            prefecture=f"{name} ({department})",
            procedure=_label(procedure),
            cases=g["cases"],
            attempts=g["attempts"],
            failed=g["failed"],
            booked_cases=len(g["days"]),
            median_days_to_appointment=statistics.median(g["days"]) if g["days"] else None,
        )
        for (department, name, procedure), g in sorted(groups.items())
    ]
