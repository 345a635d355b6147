"""Reads for the dashboard: counts aggregated in the database, each with the list URL it counts.

Every figure is a `Count(filter=Q(...))` in one grouped query, so the page costs the same
number of queries for 10 or 500 000 cases. Each metric also carries the `/cases/` filter
parameters that select exactly the cases it counts: the number is a link to its own list,
and tests check that the two agree.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.enums import Readiness, Urgency
from cases.filters import SCOPE_MINE, SCOPE_TEAMS, no_attempt_condition, provisional_expiring_people
from cases.models import Case
from litigation.selectors import orders_not_executed_per_team

STALE_AFTER_DAYS = 7  # no attempt logged for this long while attempting: the case has stalled
PROVISIONAL_WITHIN_DAYS = 30  # provisional documents (récépissé, API, APS) expiring this soon


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    params: dict  # /cases/ filter parameters selecting exactly the counted cases


def metrics() -> list[Metric]:
    """The dashboard's columns, in display order."""
    return [
        Metric("expired", _("Échus"), {"urgency": Urgency.EXPIRED.value}),
        Metric("d7", _("≤ 7 jours"), {"urgency": Urgency.D7.value}),
        Metric("d30", _("≤ 30 jours"), {"urgency": Urgency.D30.value}),
        Metric("d60", _("≤ 60 jours"), {"urgency": Urgency.D60.value}),
        Metric("refere", _("Prêts pour un référé"), {"readiness": Readiness.READY_FOR_REFERE.value}),
        Metric("referral", _("Prêts pour le Défenseur des droits"), {"readiness": Readiness.READY_FOR_REFERRAL.value}),
        Metric("lawyer_review", _("À examiner par un·e avocat·e"), {"readiness": Readiness.LAWYER_REVIEW.value}),
        Metric("stale", _("Sans tentative depuis 7 jours"), {"no_attempt_days": STALE_AFTER_DAYS}),
        Metric(
            "provisional",
            _("Récépissé, API ou APS expirant sous 30 jours"),
            {"provisional_expiring_days": PROVISIONAL_WITHIN_DAYS},
        ),
    ]


def _conditions(now: datetime.datetime, today: datetime.date) -> dict[str, Q]:
    """The Q that each metric counts. Must select what the /cases/ filters of `metrics()` select."""
    return {
        "expired": Q(urgency=Urgency.EXPIRED),
        "d7": Q(urgency=Urgency.D7),
        "d30": Q(urgency=Urgency.D30),
        "d60": Q(urgency=Urgency.D60),
        "refere": Q(readiness=Readiness.READY_FOR_REFERE),
        "referral": Q(readiness=Readiness.READY_FOR_REFERRAL),
        "lawyer_review": Q(readiness=Readiness.LAWYER_REVIEW),
        "stale": no_attempt_condition(STALE_AFTER_DAYS, now),
        "provisional": provisional_expiring_people(PROVISIONAL_WITHIN_DAYS, today),
    }


def case_list_url(params: dict) -> str:
    """The /cases/ URL listing exactly the counted cases: open ones only, and the given filters."""
    return reverse("cases:list") + "?" + urlencode(sorted({"open": "true", **params}.items()))


@dataclass
class Cell:
    value: int
    url: str


@dataclass
class Row:
    label: str
    params: dict
    cells: dict[str, Cell] = field(default_factory=dict)
    is_total: bool = False

    @property
    def ordered(self) -> list[Cell]:
        """Cells in the order of `metrics()` (dicts keep insertion order)."""
        return list(self.cells.values())


def _row(label, params, counts, metric_list, *, is_total=False) -> Row:
    row = Row(label=label, params=params, is_total=is_total)
    for metric in metric_list:
        row.cells[metric.key] = Cell(counts.get(metric.key, 0) or 0, case_list_url({**params, **metric.params}))
    return row


def _annotated(queryset, today):
    return queryset.open()


def _aggregates(now, today):
    return {key: Count("pk", filter=q) for key, q in _conditions(now, today).items()}


def dashboard_rows(user, *, now: datetime.datetime | None = None) -> list[Row]:
    """One row per team the user sees (plus "my cases" for caseworkers, a total for coordinators).

    Two queries at most, whatever the number of cases or teams.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    metric_list = metrics()
    base = _annotated(Case.objects.visible_to(user), today)
    aggregates = _aggregates(now, today)
    rows = []
    if not user.is_coordinator:
        mine = base.filter(assignee=user).aggregate(**aggregates)
        rows.append(_row(_("Mes dossiers"), {"scope": SCOPE_MINE}, mine, metric_list))
    per_team = base.values("team_id", "team__name").annotate(**aggregates).order_by("team__name", "team_id")
    team_rows = [_row(r["team__name"], {"scope": SCOPE_TEAMS, "team": r["team_id"]}, r, metric_list) for r in per_team]
    rows.extend(team_rows)
    if user.is_coordinator and len(team_rows) != 1:
        totals = {m.key: sum(r.cells[m.key].value for r in team_rows) for m in metric_list}
        rows.append(_row(_("Toutes les équipes"), {"scope": SCOPE_TEAMS}, totals, metric_list, is_total=True))
    return rows


NOT_EXECUTED_QUEUE = "not_executed"


def litigation_queue_url(params: dict) -> str:
    """The /litigation/ URL listing exactly the counted orders: the "not executed" queue, one team or all."""
    return reverse("litigation:queues") + "?" + urlencode(sorted({"queue": NOT_EXECUTED_QUEUE, **params}.items()))


def orders_not_executed_rows(user, *, now: datetime.datetime | None = None) -> list[Row]:
    """Favourable orders whose execution delay has passed, per visible team and in total (one query).

    The rule is the litigation queue's own (`LitigationActionQuerySet.order_not_executed`): each
    figure links to that queue filtered on the team, and tests check the two agree.
    """
    today = timezone.localdate(now or timezone.now())
    rows = [
        Row(
            label=r["case__team__name"],
            params={"team": r["case__team_id"]},
            cells={"not_executed": Cell(r["count"], litigation_queue_url({"team": r["case__team_id"]}))},
        )
        for r in orders_not_executed_per_team(user, today=today)
    ]
    total = sum(r.cells["not_executed"].value for r in rows)
    rows.append(
        Row(
            label=_("Toutes les équipes"),
            params={},
            cells={"not_executed": Cell(total, litigation_queue_url({}))},
            is_total=True,
        )
    )
    return rows


@dataclass
class LoadRow:
    team: str
    assignee: str
    open: Cell
    expired: Cell
    d7: Cell


def caseworker_load(user) -> list[LoadRow]:
    """Open and urgent cases per assignee and team (one query). Coordinators only see this.

    Grouped by the two ids only (the names come along as Max(), the same within a group): with
    the names in the GROUP BY, PostgreSQL misjudged the number of groups and sorted every open
    case of the organisation on disk (200 ms at 100,000 people, against 50 ms by hashing ids).
    """
    rows = (
        Case.objects.visible_to(user)
        .open()
        .filter(assignee__isnull=False)
        .values("team_id", "assignee_id")
        .annotate(
            team_name=Max("team__name"),
            first_name=Max("assignee__first_name"),
            last_name=Max("assignee__last_name"),
            open_count=Count("pk"),
            expired_count=Count("pk", filter=Q(urgency=Urgency.EXPIRED)),
            d7_count=Count("pk", filter=Q(urgency=Urgency.D7)),
        )
        .order_by("team_name", "team_id", "-expired_count", "-d7_count", "last_name", "assignee_id")
    )
    result = []
    for r in rows:
        params = {"scope": SCOPE_TEAMS, "team": r["team_id"], "assignee": r["assignee_id"]}
        name = f"{r['first_name']} {r['last_name']}".strip()
        result.append(
            LoadRow(
                team=r["team_name"],
                assignee=name,
                open=Cell(r["open_count"], case_list_url(params)),
                expired=Cell(r["expired_count"], case_list_url({**params, "urgency": Urgency.EXPIRED.value})),
                d7=Cell(r["d7_count"], case_list_url({**params, "urgency": Urgency.D7.value})),
            )
        )
    return result


def most_urgent_cases(user, *, limit: int = 10):
    """The open cases with the nearest deadlines (expired first), for the list under the counts."""
    return (
        Case.objects.visible_to(user)
        .open()
        .filter(urgency__in=(Urgency.EXPIRED, Urgency.D7, Urgency.D30))
        .select_related("person", "prefecture", "team", "assignee")
        .order_by("urgency", "next_deadline_date", "id")[:limit]
    )


def litigation_queue(user, *, limit: int = 10):
    """Open cases whose stored readiness calls for action (référé, referral, lawyer review)."""
    return (
        Case.objects.visible_to(user)
        .open()
        .exclude(readiness=Readiness.NOT_YET)
        .select_related("person", "prefecture", "team")
        .order_by("urgency", "readiness_since", "id")[:limit]
    )


def stale_cases(user, *, limit: int = 10, now: datetime.datetime | None = None):
    return (
        Case.objects.visible_to(user)
        .filter(no_attempt_condition(STALE_AFTER_DAYS, now))
        .select_related("person", "prefecture", "team")
        .order_by("urgency", "last_attempt_at", "id")[:limit]
    )
