"""django-rq jobs of attempts (thin: a service call). Periodic ones are in config/schedules.py."""

from attempts import services


def self_report_links_cleanup() -> int:
    """Nightly: destroy the credentials of long-dead self-report links (idempotent)."""
    return services.self_report_links_purge_expired()
