"""Benchmark settings: production behaviour (DEBUG off, real password hashing, no debug toolbar)
on the benchmark database, which is never the test database.

PostgreSQL: the database named by BENCH_DB (default `benchdata`) on the PG* server of
scripts/services.sh. SQLite: set BENCH_SQLITE to a file path. Uploads go under BENCH_MEDIA_ROOT.
"""

import os
from pathlib import Path

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, DATABASES, LOGGING, SQLITE_OPTIONS

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY") or "bench-only-key-0123456789abcdefghijklmnopqrstuvwxyz-0123456789"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# The load test talks plain HTTP to gunicorn on loopback (a TLS proxy would sit in front in production).
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

_state = Path(os.environ.get("STATE", "/tmp/plage-libre-state"))  # noqa: S108 - where scripts/lib.sh keeps state
MEDIA_ROOT = Path(os.environ.get("BENCH_MEDIA_ROOT", str(_state / "bench-media")))
STORAGES["default"] = {  # noqa: F405
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None},
}

if os.environ.get("BENCH_SQLITE"):
    DATABASES["default"] = {  # the embedded default's options (config/settings/base.py), on the benchmark's file
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["BENCH_SQLITE"],
        "OPTIONS": dict(SQLITE_OPTIONS),
        "ATOMIC_REQUESTS": True,
    }
else:
    DATABASES["default"]["NAME"] = os.environ.get("BENCH_DB", "benchdata")
# Jobs run inline (no worker in the benchmark): what a request enqueues is paid where it is measured.
REDIS_URL = ""
if os.environ.get("BENCH_LOCKTRACE"):  # where each transaction waited for / held SQLite's write lock
    from bench import locktrace

    locktrace.install(os.environ["BENCH_LOCKTRACE"])
LOGGING["root"]["level"] = "WARNING"
_ = BASE_DIR
