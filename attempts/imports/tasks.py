"""Jobs of the import: the commit of a large file (with progress), and the purge of stale files."""

from rq import get_current_job

from accounts.models import User
from attempts.imports import services


def _progress_reporter():
    """Progress goes to the job's meta in Redis: the commit's own transaction is invisible until it ends."""
    job = get_current_job()
    if job is None:
        return None

    def report(done: int, total: int) -> None:
        job.meta.update(done=done, total=total)
        job.save_meta()

    return report


def import_batch_run(batch_id: int, user_id: int) -> str:
    """Commit a queued batch. Safe to run twice: a committed batch is not written again."""
    user = User.objects.get(pk=user_id)
    job = get_current_job()
    if job is not None:
        services.ImportBatch.objects.filter(pk=batch_id).update(job_id=job.id)
    return services.import_batch_execute(batch_id=batch_id, by=user, progress=_progress_reporter())


def import_batches_purge() -> int:
    return services.import_batches_purge()
