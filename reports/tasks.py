"""django-rq jobs of the reports app: thin wrappers taking ids, calling a service."""

from reports import services


def urgency_snapshot_job() -> int:
    """Nightly: record the day's urgency counts per team (for the "cases by urgency" chart)."""
    return services.urgency_snapshot_take()
