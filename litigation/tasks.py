"""django-rq jobs of litigation. Periodic ones are declared in config/schedules.py.

Every job is idempotent (safe to run twice, safe to retry): it recomputes from the current
state or skips what is already done.
"""

from django.utils import timezone

from cases.services import deadlines_recompute
from litigation import notifications


def nightly_recompute() -> int:
    """Nightly: recompute every case's deadlines and urgency, then today's reminders from them."""
    today = timezone.localdate()
    deadlines_recompute(today=today)
    return notifications.notifications_generate(today)


def digests_send_today() -> int:
    """Morning digest. Generates first (a no-op when the nightly run did) so nothing is missed."""
    today = timezone.localdate()
    notifications.notifications_generate(today)
    return notifications.digests_send(today)
