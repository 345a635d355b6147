"""Writes of the reports app: urgency snapshots (history for the charts) and exports."""

import datetime

from django.db import transaction
from django.utils import timezone

from cases.models import Case
from reports.models import UrgencySnapshot
from reports.statistics import SNAPSHOT_FIELDS, urgency_counts_expressions


@transaction.atomic
def urgency_snapshot_take(*, day: datetime.date | None = None) -> int:
    """Record today's open cases per urgency level for every team. Returns the number of rows.

    Called by the nightly job after the deadlines are recomputed. Safe to run twice a day: the
    day's rows are overwritten, and teams that no longer have open cases lose their row.
    System-wide on purpose (no user): it stores counts only, never personal data.
    """
    day = day or timezone.localdate()
    names = [name for name, _level in SNAPSHOT_FIELDS]
    rows = (
        Case.objects.filter(deleted_at__isnull=True)
        .open()
        .values("team_id", "team__organisation_id")
        .annotate(**urgency_counts_expressions())
        .order_by()
    )
    snapshots = [
        UrgencySnapshot(
            organisation_id=r["team__organisation_id"], team_id=r["team_id"], day=day, **{n: r[n] for n in names}
        )
        for r in rows
    ]
    UrgencySnapshot.objects.filter(day=day).exclude(team_id__in=[s.team_id for s in snapshots]).delete()
    UrgencySnapshot.objects.bulk_create(
        snapshots, update_conflicts=True, unique_fields=["team", "day"], update_fields=[*names, "taken_at"]
    )
    return len(snapshots)
