"""Reads for attempts. `attempt_stats` is the single source of the readiness inputs."""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Case as When_
from django.db.models import Count, IntegerField, Max, Min, Prefetch, Q, Value, When
from django.db.models.functions import ExtractHour, ExtractIsoYear, ExtractWeek, TruncDate
from django.shortcuts import get_object_or_404

from attempts.enums import FAILED_OUTCOMES, WRITTEN_CHANNELS, RecordedVia
from attempts.models import Attempt, Evidence, SelfReportLink

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# Default time bands in Paris time [default, DOMAIN.md: "retry at varying hours"]:
# morning before 12:00, midday 12:00-16:59, evening from 17:00. The readiness policy may pass others.
DEFAULT_BAND_EDGES = (12, 17)


@dataclass(frozen=True)
class AttemptStats:
    """What a judge looks at in an attempt log, for one case (failed attempts only)."""

    count: int = 0
    distinct_days: int = 0
    iso_weeks: int = 0
    time_bands: int = 0
    first_at: datetime.datetime | None = None
    last_at: datetime.datetime | None = None
    with_evidence: int = 0
    imported: int = 0
    self_reported: int = 0
    written_requests: int = 0
    last_written_request_at: datetime.datetime | None = None
    channels: frozenset = field(default_factory=frozenset)

    @property
    def span_days(self) -> int:
        if self.first_at is None:
            return 0
        return (self.last_at.astimezone(PARIS).date() - self.first_at.astimezone(PARIS).date()).days

    @property
    def without_evidence(self) -> int:
        return self.count - self.with_evidence


def _band_expression(edges):
    hour = ExtractHour("moment", tzinfo=PARIS)
    morning_end, evening_start = edges
    return When_(
        When(Q(hour__lt=morning_end), then=Value(1)),
        When(Q(hour__lt=evening_start), then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    ), hour


def attempt_stats(case_ids, *, band_edges=DEFAULT_BAND_EDGES) -> dict[int, AttemptStats]:
    """Stats per case for the given case ids, in a constant number of queries (set-based).

    Counts failed attempts only (a booked appointment is not evidence of saturation).
    Days, ISO weeks and time bands are taken in Europe/Paris time, like the court reads them.
    """
    band, hour = _band_expression(band_edges)
    failed = (
        Attempt.objects.filter(case_id__in=case_ids, outcome__in=FAILED_OUTCOMES)
        .annotate(
            day=TruncDate("moment", tzinfo=PARIS),
            iso_year=ExtractIsoYear("moment", tzinfo=PARIS),
            iso_week=ExtractWeek("moment", tzinfo=PARIS),
            hour=hour,
        )
        .annotate(band=band)
    )
    rows = failed.values("case_id").annotate(
        n=Count("id"),
        days=Count("day", distinct=True),
        weeks=Count(ExtractIsoYear("moment", tzinfo=PARIS) * 100 + ExtractWeek("moment", tzinfo=PARIS), distinct=True),
        bands=Count("band", distinct=True),
        first=Min("moment"),
        last=Max("moment"),
        evidenced=Count("id", filter=Q(evidence_count__gt=0)),
        imported=Count("id", filter=Q(recorded_via=RecordedVia.IMPORT)),
        self_reported=Count("id", filter=Q(recorded_via=RecordedVia.SELF_REPORT)),
        written=Count("id", filter=Q(channel__in=WRITTEN_CHANNELS)),
        last_written=Max("moment", filter=Q(channel__in=WRITTEN_CHANNELS)),
    )
    channels: dict[int, set] = {}
    for case_id, channel in failed.values_list("case_id", "channel").distinct().order_by():
        channels.setdefault(case_id, set()).add(channel)
    return {
        row["case_id"]: AttemptStats(
            count=row["n"],
            distinct_days=row["days"],
            iso_weeks=row["weeks"],
            time_bands=row["bands"],
            first_at=row["first"],
            last_at=row["last"],
            with_evidence=row["evidenced"],
            imported=row["imported"],
            self_reported=row["self_reported"],
            written_requests=row["written"],
            last_written_request_at=row["last_written"],
            channels=frozenset(channels.get(row["case_id"], ())),
        )
        for row in rows.order_by()
    }


def attempt_stats_for_case(case) -> AttemptStats:
    return attempt_stats([case.pk]).get(case.pk, AttemptStats())


TIMELINE_PAGE_SIZE = 20


def attempts_for_timeline(case):
    """The case's attempts, newest first, with what the timeline shows in a fixed number of queries."""
    return (
        Attempt.objects.filter(case=case)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("deleted_by").order_by("received_at", "id"))
        )
        .order_by("-moment", "-id")
    )


def attempt_for_user(user, pk):
    """An attempt in the user's scope, or 404."""
    return get_object_or_404(Attempt.objects.visible_to(user).select_related("case__person", "case__team"), pk=pk)


def evidence_for_user(user, pk):
    """Present (not deleted) evidence in the user's scope, or 404."""
    return get_object_or_404(
        Evidence.objects.visible_to(user).present().select_related("attempt__case"),
        pk=pk,
    )


def active_links_for_case(case):
    return SelfReportLink.objects.filter(case=case).active().select_related("created_by")
