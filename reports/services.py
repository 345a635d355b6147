"""Writes of the reports app: urgency snapshots (history for the charts) and exports."""

import datetime
import logging
import secrets

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.services import audit_record
from cases.models import Case
from config.csv_export import get_dialect
from config.queues import enqueue
from reports import columns as cols
from reports.exports import KINDS, ExportRequest, ExportStream, export_filename, querydict_from
from reports.models import ExportJob, UrgencySnapshot
from reports.statistics import SNAPSHOT_FIELDS, urgency_counts_expressions

logger = logging.getLogger(__name__)


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


def export_audit(
    *, user, kind: str, filters: dict, rows: int, dialect: str, pseudonymise: bool, request=None, job=None
):
    audit_record(
        action=AuditAction.EXPORT,
        actor=user,
        request=request,
        obj=job,
        details={
            "export": kind,
            "filters": filters,
            "rows": rows,
            "dialect": dialect,
            "pseudonymise": pseudonymise,
            "mode": "job" if job is not None else "stream",
        },
    )


@transaction.atomic
def export_job_create(*, owner, kind: str, params: dict, dialect: str, pseudonymise: bool) -> ExportJob:
    """Record the export and hand it to the "exports" queue (after commit; inline without Redis)."""
    from reports.tasks import export_job_task  # tasks import services: import here, not at the top

    job = ExportJob.objects.create(
        owner=owner,
        organisation_id=owner.organisation_id,
        kind=kind,
        params=params,
        dialect=dialect,
        pseudonymise=pseudonymise,
        expires_at=timezone.now() + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS),
    )
    enqueue(export_job_task, job.pk, queue="exports")
    return job


def export_job_run(*, job_id: int) -> None:
    """Build the file of an export job. Safe to run twice; never offers a half-written file.

    The rows are written to a local temporary file first, then stored under a random name; the
    job row points to the file (status READY) only once it is complete. The owner's scope is
    applied as it is when the job runs, so a user who lost access to a team gets none of its rows.
    """
    job = ExportJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.status == ExportJob.Status.READY:
        return
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)
    kind = KINDS[job.kind]
    stored_name = None
    try:
        request = ExportRequest(user=job.owner, GET=querydict_from(job.params))
        columns = cols.columns_for(kind.columns, pseudonymise=job.pseudonymise)
        stream = ExportStream(kind.build(request), columns, get_dialect(job.dialect))
        filename = export_filename(kind, pseudonymise=job.pseudonymise)
        # Written like an upload: a local storage moves this temporary file into place instead of
        # copying it (hundreds of megabytes for a national export); S3 reads it as any file.
        with TemporaryUploadedFile(filename, "text/csv", 0, "utf-8") as raw:
            for chunk in stream:
                raw.write(chunk)
            count = stream.rows
            raw.flush()
            raw.size = raw.tell()
            raw.seek(0)
            stored_name = default_storage.save(f"exports/{secrets.token_hex(16)}/{filename}", raw)
        with transaction.atomic():
            now = timezone.now()
            ExportJob.objects.filter(pk=job.pk).update(
                status=ExportJob.Status.READY,
                file=stored_name,
                row_count=count,
                finished_at=now,
                expires_at=now + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS),
                error="",
            )
            export_audit(
                user=job.owner,
                kind=job.kind,
                filters=job.params,
                rows=count,
                dialect=job.dialect,
                pseudonymise=job.pseudonymise,
                job=job,
            )
    except Exception as exc:
        logger.exception("Export job %s failed", job.pk)
        if stored_name:
            default_storage.delete(stored_name)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error=str(exc)[:500])


def exports_purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the export files and jobs past their retention delay. Returns how many were purged.

    To be called by the maintenance scheduler (daily is enough); safe to run at any time.
    """
    now = now or timezone.now()
    purged = 0
    for job in ExportJob.objects.filter(expires_at__lt=now).only("pk", "file").iterator():
        if job.file:
            default_storage.delete(job.file.name)
        job.delete()
        purged += 1
    return purged
