"""One place to hand work to django-rq.

Jobs are enqueued only after the surrounding transaction commits (a job must never see data
that is rolled back). When no Redis is configured (the embedded `make run` default) the job
runs inline after commit; when Redis is configured but down, the job also runs inline so
nothing is lost, and the caller is told so it can say "done now" rather than "queued".
"""

import logging

import django_rq
import redis
from django.conf import settings
from django.db import transaction
from redis.exceptions import RedisError
from rq import Retry

logger = logging.getLogger(__name__)

QUEUES = ("default", "documents", "exports", "maintenance")


def redis_configured() -> bool:
    return bool(settings.REDIS_URL)


def redis_available() -> bool:
    if not redis_configured():
        return False
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)
        return bool(client.ping())
    except (RedisError, OSError):
        return False


def job_retry() -> Retry:
    """Retry policy for transient errors (SMTP, storage, database restarts): 3 more tries with backoff.

    The intervals come from settings so tests can retry at once (rq schedules a retry with a
    positive interval through the worker's scheduler, `rqworker --with-scheduler`).
    """
    return Retry(max=3, interval=list(settings.JOB_RETRY_INTERVALS))


def enqueue(
    func, *args, queue: str = "default", retry: bool = False, organisation_id: int | None = None, **kwargs
) -> str:
    """Run `func(*args, **kwargs)` as a job after commit. Returns "queued" or "inline".

    `retry=True` retries the job on failure (see `job_retry`): only for idempotent jobs.
    `organisation_id` is kept in the job's meta so an organisation's admins see its failed jobs
    (the failed-jobs page never shows another organisation's jobs).
    """
    options = {"meta": {"organisation_id": organisation_id}}
    if retry:
        options["retry"] = job_retry()
    if redis_available():

        def _enqueue():
            try:
                django_rq.get_queue(queue).enqueue_call(func, args=args, kwargs=kwargs, **options)
            except (RedisError, OSError):
                logger.warning("Redis went away while enqueuing %s; running inline", func.__name__)
                func(*args, **kwargs)

        transaction.on_commit(_enqueue)
        return "queued"
    transaction.on_commit(lambda: func(*args, **kwargs))
    return "inline"
