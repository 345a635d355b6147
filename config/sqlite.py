"""The embedded SQLite database (the zero-setup default) under simultaneous requests.

SQLite has one write lock per database file, and the settings make each transaction take it
when it begins (`transaction_mode` IMMEDIATE, config/settings/base.py). With ATOMIC_REQUESTS,
every request was one such transaction: a page view that only reads held the lock from its
first query to its rendered HTML, so requests ran one at a time across all gunicorn workers,
the others polling for the lock (20 caseworkers: p95 668 ms; bench/notes.md has the figures).
PostgreSQL is not concerned: this middleware removes itself when no SQLite database has
ATOMIC_REQUESTS.
"""

from inspect import iscoroutinefunction

from django.core.exceptions import MiddlewareNotUsed
from django.db import connections, transaction

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class ReadRequestsOutsideTransaction:
    """On SQLite, a GET/HEAD/OPTIONS view runs without the request-wide transaction.

    Its reads run in autocommit: with WAL each statement reads the latest committed data without
    taking or waiting for the write lock (as a PostgreSQL request at READ COMMITTED sees each
    statement's latest commits). What such a view writes (the journal line of a case view, the
    litigation queues' readiness refresh, a session) goes through services that are
    `transaction.atomic` themselves, or is a single statement: each is its own short IMMEDIATE
    transaction, so no read-then-write transaction can fail to upgrade its lock. POST and the
    other unsafe methods keep ATOMIC_REQUESTS (all or nothing), exactly as on PostgreSQL.

    It calls the view itself, so it must be the last entry of MIDDLEWARE (every other
    process_view has run). No middleware of this project defines process_exception: a view's
    exception propagates and is turned into a response as usual.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.aliases = {
            alias
            for alias in connections
            if connections.settings[alias]["ATOMIC_REQUESTS"] and connections[alias].vendor == "sqlite"
        }
        if not self.aliases:
            raise MiddlewareNotUsed

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in SAFE_METHODS or iscoroutinefunction(view_func):
            return None
        view = view_func
        # Other (non-SQLite) databases keep their request transaction, as Django would wrap it.
        skipped = getattr(view_func, "_non_atomic_requests", set())
        for alias in connections:
            if connections.settings[alias]["ATOMIC_REQUESTS"] and alias not in skipped | self.aliases:
                view = transaction.atomic(using=alias)(view)
        response = view(request, *view_args, **view_kwargs)
        if response is None:  # Django would otherwise call the view a second time
            name = getattr(view_func, "__qualname__", repr(view_func))
            raise ValueError(f"The view {name} didn't return an HttpResponse.")
        return response
