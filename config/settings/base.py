"""Settings shared by every environment, all read from environment variables.

This module is production-grade on its own: `config.settings.production` only adds the
checks that refuse a missing secret. `dev` and `test` are thin overlays.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    return int(os.environ.get(name, default))


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_rq",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_filters",
    "accounts",
    "cases",
    "attempts",
    "litigation",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.request_size_limit",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.french_first",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    "config.sqlite.ReadRequestsOutsideTransaction",  # last: on SQLite only, page views take no write lock
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "litigation.context_processors.unread_notifications",
            ],
        },
    },
]


def _database_from_env():
    """DATABASE_URL wins; then PG* variables; otherwise the embedded SQLite file."""
    if env("DATABASE_URL"):
        return dj_database_url.parse(env("DATABASE_URL"), conn_max_age=60, conn_health_checks=True)
    if env("PGDATABASE") or env("PGHOST"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": env("PGDATABASE", "plage_libre"),
            "USER": env("PGUSER", ""),
            "PASSWORD": env("PGPASSWORD", ""),
            "HOST": env("PGHOST", ""),
            "PORT": env("PGPORT", ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        "OPTIONS": dict(SQLITE_OPTIONS),
    }


# The embedded SQLite database (also bench/settings.py); config/sqlite.py explains the locking.
# - WAL: readers never wait for the writer, nor the writer for readers.
# - synchronous=FULL, said on purpose: in WAL mode NORMAL skips the fsync of each commit, and "a
#   transaction committed in WAL mode with synchronous=NORMAL might roll back following a power loss
#   or system crash" (https://www.sqlite.org/pragma.html#pragma_synchronous). A logged attempt is
#   evidence for a court: once the caseworker sees "enregistrée", it must survive a power cut.
#   (FULL costs one fsync per commit: 0.25 ms on the benchmark machine, bench/notes.md.)
# - IMMEDIATE: a transaction takes the write lock when it begins, so two writers never both read,
#   then fail to upgrade ("database is locked" at once, without waiting: https://sqlite.org/lang_transaction.html).
# - timeout: a writer waits up to 20 s for the lock (default 5 s) instead of failing.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


DATABASES = {"default": _database_from_env()}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: expire after inactivity (shared computers can also choose "expire on close").
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: lock a user+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English")), ("ar", _("العربية"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded evidence lives outside the static root and is only served through views that
# apply the scoping rule. S3-compatible storage when several machines share the files.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"  # never routed: files are served by views that check the scope
if env("AWS_STORAGE_BUCKET_NAME"):
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            "region_name": env("AWS_S3_REGION_NAME"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# `manage.py backup` writes here (one timestamped folder per run); keep it off the web root.
BACKUP_DIR = Path(env("BACKUP_DIR", str(BASE_DIR / "backups")))

EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
# Spreadsheet import: upload limits, the size above which the commit runs as a job, retention.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000)
IMPORT_ASYNC_ROWS = env_int("IMPORT_ASYNC_ROWS", 2_000)
IMPORT_KEEP_HOURS = env_int("IMPORT_KEEP_HOURS", 24)
IMPORT_ERRORS_KEEP_DAYS = env_int("IMPORT_ERRORS_KEEP_DAYS", 30)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Email
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Plage libre <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

# Queues (django-rq). REDIS_URL unset or unreachable: jobs run inline (see config/queues.py).
REDIS_URL = env("REDIS_URL", "")
_queue = {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 900}
RQ_QUEUES = {name: dict(_queue) for name in ("default", "documents", "exports", "maintenance")}
RQ_SHOW_ADMIN_LINK = True

# Rate limits (self-report links) count in the cache. With several gunicorn workers or machines,
# set CACHE_URL (e.g. redis://127.0.0.1:6379/1) so they share one count; default: per process.
if env("CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("CACHE_URL")}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Backoff between the retries of a failed idempotent job (seconds; see config.queues.job_retry).
JOB_RETRY_INTERVALS = [10, 60, 300]

# CSV exports: above this many rows an export is built by a job; its file is kept this long.
EXPORT_ASYNC_THRESHOLD = env_int("EXPORT_ASYNC_THRESHOLD", 50_000)
EXPORT_RETENTION_HOURS = env_int("EXPORT_RETENTION_HOURS", 72)

# Security headers. No inline script anywhere: scripts are static files.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
CSRF_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "weasyprint.progress": {"level": "WARNING"}},
}
AXES_VERBOSE = False

# django-otp: the name shown in authenticator apps.
OTP_TOTP_ISSUER = "Plage libre"

# Attempts: evidence limits and the person's own link (attempts app).
EVIDENCE_MAX_FILES = env_int("EVIDENCE_MAX_FILES", 10)
# Any request body above this is refused (413) before it is read (config.middleware.request_size_limit).
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", EVIDENCE_MAX_BYTES * EVIDENCE_MAX_FILES + 1024 * 1024)
EVIDENCE_MAX_PIXELS = env_int("EVIDENCE_MAX_PIXELS", 40_000_000)
SELF_REPORT_LINK_DAYS = env_int("SELF_REPORT_LINK_DAYS", 90)
SELF_REPORT_POSTS_PER_MINUTE = env_int("SELF_REPORT_POSTS_PER_MINUTE", 5)
SELF_REPORT_UNKNOWN_PER_MINUTE = env_int("SELF_REPORT_UNKNOWN_PER_MINUTE", 20)
# Self-report tokens live in URLs (/r/<token>/): request and server logs print a redacted path.
LOGGING["filters"] = {"redact_tokens": {"()": "attempts.log_redaction.RedactSelfReportTokens"}}
LOGGING["handlers"]["console"]["filters"] = ["redact_tokens"]
