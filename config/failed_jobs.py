"""Failed background jobs, shown to an organisation's admins with a retry button.

rq keeps a failed job in each queue's FailedJobRegistry (with its traceback) once its retries
are used up. django-rq's own views (/django-rq/) are for the site's staff and show everything;
this page is for an association's admins: only their organisation's jobs (job meta
`organisation_id`, set by `config.queues.enqueue`) and the shared periodic jobs, and only a
redacted error (the exception type, where it happened, the message without quoted values, e-mail
addresses or long numbers), since exception messages can carry personal data.
"""

import datetime
import re
from dataclasses import dataclass

import django_rq
from redis.exceptions import RedisError
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry

from accounts.enums import AuditAction
from accounts.services import audit_record
from config.queues import QUEUES

# What may stay in a shown error message: everything else that looks like data is masked.
_QUOTED = re.compile(r"(\"[^\"]*\"|'[^']*'|\([^()]*=[^()]*\)=\([^()]*\))")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_LONG_NUMBER = re.compile(r"\d{6,}")
_FRAME = re.compile(r'File "(?P<path>[^"]+)", line (?P<line>\d+), in (?P<func>\S+)')


@dataclass(frozen=True)
class FailedJob:
    queue: str
    id: str
    func_name: str
    args: str
    enqueued_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    error: str
    shared: bool  # a periodic job serving every organisation


def redact_message(message: str) -> str:
    message = _QUOTED.sub("«…»", message)
    message = _EMAIL.sub("«…»", message)
    return _LONG_NUMBER.sub("«…»", message)


def error_summary(exc_info: str | None, *, frames: int = 2) -> str:
    """The last frames of a traceback (file, line, function) and its redacted last line."""
    if not exc_info:
        return ""
    lines = [line for line in exc_info.strip().splitlines() if line.strip()]
    where = []
    for line in lines:
        match = _FRAME.search(line)
        if match:
            path = match["path"].split("site-packages/")[-1]
            where.append(f"{path}:{match['line']} ({match['func']})")
    last = lines[-1].strip() if lines else ""
    kind, _, message = last.partition(":")
    summary = [*where[-frames:], f"{kind}: {redact_message(message.strip())}" if message else kind]
    return "\n".join(summary)


def _shown_args(job: Job) -> str:
    """Jobs take ids: show ints and dates, mask anything else."""
    shown = []
    for value in job.args:
        shown.append(str(value) if isinstance(value, int | datetime.date) else "…")
    return ", ".join(shown)


def _visible(job: Job, organisation_id: int) -> bool:
    owner = (job.meta or {}).get("organisation_id")
    return owner is None or owner == organisation_id


def failed_jobs(*, organisation_id: int) -> list[FailedJob]:
    """Failed jobs of every queue that belong to the organisation or to no organisation.

    Raises RedisError when Redis does not answer (the page says so).
    """
    found = []
    for name in QUEUES:
        queue = django_rq.get_queue(name)
        registry = FailedJobRegistry(queue=queue)
        job_ids = registry.get_job_ids()
        for job in Job.fetch_many(job_ids, connection=queue.connection):
            if job is None or not _visible(job, organisation_id):
                continue
            found.append(
                FailedJob(
                    queue=name,
                    id=job.id,
                    func_name=job.func_name or "",
                    args=_shown_args(job),
                    enqueued_at=job.enqueued_at,
                    ended_at=job.ended_at,
                    error=error_summary(job.exc_info),
                    shared=(job.meta or {}).get("organisation_id") is None,
                )
            )
    found.sort(key=lambda j: j.ended_at or datetime.datetime.min.replace(tzinfo=datetime.UTC), reverse=True)
    return found


def failed_job_retry(*, queue: str, job_id: str, user, request=None) -> bool:
    """Put a failed job back in its queue (audited). False when it is gone or not the user's."""
    if queue not in QUEUES:
        return False
    rq_queue = django_rq.get_queue(queue)
    try:
        job = Job.fetch(job_id, connection=rq_queue.connection)
    except NoSuchJobError:
        return False
    if not _visible(job, user.organisation_id):
        return False
    try:
        FailedJobRegistry(queue=rq_queue).requeue(job_id)
    except (InvalidJobOperation, NoSuchJobError, RedisError):
        return False
    audit_record(
        action=AuditAction.JOB_RETRY,
        actor=user,
        request=request,
        details={"queue": queue, "job": job_id, "function": job.func_name},
    )
    return True
