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


def enqueue(func, *args, queue: str = "default", **kwargs) -> str:
    """Run `func(*args, **kwargs)` as a job after commit. Returns "queued" or "inline"."""
    if redis_available():

        def _enqueue():
            try:
                django_rq.get_queue(queue).enqueue(func, *args, **kwargs)
            except (RedisError, OSError):
                logger.warning("Redis went away while enqueuing %s; running inline", func.__name__)
                func(*args, **kwargs)

        transaction.on_commit(_enqueue)
        return "queued"
    transaction.on_commit(lambda: func(*args, **kwargs))
    return "inline"
