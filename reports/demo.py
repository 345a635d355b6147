"""Synthetic history for the demo: urgency snapshots of the past weeks, so the chart has a shape."""

import datetime
import random

from django.utils import timezone

from accounts.models import Organisation, Team
from reports.models import UrgencySnapshot
from reports.services import urgency_snapshot_take
from reports.statistics import SNAPSHOT_FIELDS


def seed_urgency_history(organisation: Organisation, *, days: int = 56, seed: int = 2026) -> int:
    """Today's real snapshot, then invented past days drifting back from it. Idempotent."""
    urgency_snapshot_take()
    today = timezone.localdate()
    names = [name for name, _level in SNAPSHOT_FIELDS]
    created = []
    for team in Team.objects.filter(organisation=organisation).order_by("pk"):
        current = UrgencySnapshot.objects.filter(team=team, day=today).first()
        counts = {n: getattr(current, n, 0) for n in names}
        existing = set(UrgencySnapshot.objects.filter(team=team).values_list("day", flat=True))
        rng = random.Random(seed + team.pk)
        for back in range(1, days + 1):
            # Walking back in time: fewer expired cases, more with a far deadline (they moved up since).
            counts = {
                n: max(0, counts[n] + rng.choice((-1, 0, 0, 1)) + (-(rng.random() < 0.3) if n == "expired" else 0))
                for n in names
            }
            day = today - datetime.timedelta(days=back)
            if day not in existing:
                created.append(UrgencySnapshot(organisation=organisation, team=team, day=day, **counts))
    UrgencySnapshot.objects.bulk_create(created)
    return len(created)
