"""django-rq jobs of litigation. Periodic ones are declared in config/schedules.py.

Every job is idempotent (safe to run twice, safe to retry): it recomputes from the current
state or skips what is already done.
"""

from django.utils import timezone

from litigation import notifications


def nightly_recompute() -> int:
    """Nightly: today's reminders from the recomputed deadlines and flags."""
    return notifications.notifications_generate(timezone.localdate())


def digests_send_today() -> int:
    """Morning digest. Generates first (a no-op when the nightly run did) so nothing is missed."""
    today = timezone.localdate()
    notifications.notifications_generate(today)
    return notifications.digests_send(today)
