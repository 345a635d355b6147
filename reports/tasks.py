"""django-rq jobs of the reports app: thin wrappers taking ids, calling a service."""

from reports import services


def urgency_snapshot_job() -> int:
    """Nightly: record the day's urgency counts per team (for the "cases by urgency" chart)."""
    return services.urgency_snapshot_take()


def export_job_task(job_id: int) -> None:
    """Queue "exports": build the file of a large export."""
    services.export_job_run(job_id=job_id)


def exports_purge_job() -> int:
    """Daily (maintenance): delete export files past their retention delay."""
    return services.exports_purge_expired()
