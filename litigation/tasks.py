"""django-rq jobs of litigation. Periodic ones are declared in config/schedules.py.

Every job is idempotent (safe to run twice, safe to retry): it recomputes from the current
state or skips what is already done.
"""

from django.utils import timezone

from litigation import archives, notifications, retention, services
from litigation.documents import build


def nightly_recompute() -> int:
    """Nightly: deadlines and readiness flags of every case, then today's reminders from them."""
    today = timezone.localdate()
    services.flags_recompute_all(today=today)
    return notifications.notifications_generate(today)


def digests_send_today() -> int:
    """Morning digest. Generates first (a no-op when the nightly run did) so nothing is missed."""
    today = timezone.localdate()
    notifications.notifications_generate(today)
    return notifications.digests_send(today)


def recompute_case_flags(case_id: int) -> None:
    services.case_readiness_refresh(case_id)


def recompute_organisation_flags(organisation_id: int) -> None:
    services.readiness_refresh_organisation(organisation_id)


def document_build_job(document_id: int) -> None:
    build.document_build(document_id)


def retention_weekly() -> dict:
    """Weekly: anonymise the closed cases past their retention period (never under legal hold)."""
    return retention.retention_run(timezone.localdate())


def person_archive_build(archive_id: int) -> str:
    return archives.person_archive_build(archive_id)
