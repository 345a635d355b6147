"""django-rq jobs of cases (thin: a service call). Periodic ones are in config/schedules.py."""

from cases import bin as case_bin


def bin_purge() -> int:
    """Nightly: hard-delete what has been in the bin past its restore period (idempotent)."""
    report = case_bin.purge_deleted()
    return len(report.cases) + len(report.people)
