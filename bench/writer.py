"""Database plumbing of the benchmark generator: fast appends (COPY / executemany), the database's
life cycle and its fingerprint. Django must be set up before importing this module.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import connection, models
from django.utils import timezone


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _admin_connection():
    import psycopg

    params = connection.get_connection_params()
    params = {k: v for k, v in params.items() if k in ("host", "port", "user", "password")}
    return psycopg.connect(dbname="postgres", autocommit=True, **params)


def stored_fingerprint() -> str | None:
    if is_postgres():
        with _admin_connection() as admin:
            if not admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [settings.DATABASES["default"]["NAME"]]
            ).fetchone():
                return None
    elif not Path(settings.DATABASES["default"]["NAME"]).exists():
        return None
    with connection.cursor() as cursor:
        if "bench_meta" not in connection.introspection.table_names(cursor):
            return None
        cursor.execute("SELECT value FROM bench_meta WHERE key = 'fingerprint'")
        row = cursor.fetchone()
    return row[0] if row else None


def recreate_database() -> None:
    connection.close()
    name = settings.DATABASES["default"]["NAME"]
    if is_postgres():
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)


class Writer:
    """Appends rows to one table in batches: COPY on PostgreSQL, executemany on SQLite.

    Columns not given take the model field's default (or now() for auto timestamps, "" for
    blank text, NULL for nullable), so fields other helpers add with a default need no change here.
    Each batch is one complete COPY, so several writers can be filled side by side.
    """

    BATCH = 50_000

    def __init__(self, model, fields: list[str], parents=()):
        self.model = model
        self.parents = parents  # writers whose rows this table references: flushed first
        self.count = 0
        meta = model._meta
        given = [meta.get_field(name) for name in fields]
        now = timezone.now()
        self.extra = []
        for field in meta.concrete_fields:
            if field in given or field.primary_key:  # an omitted primary key comes from its sequence
                continue
            if field.has_default():
                value = field.get_default()
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            elif field.null:
                value = None
            elif field.blank and isinstance(field, (models.CharField, models.TextField)):
                value = ""
            else:
                raise ValueError(f"{model.__name__}.{field.name} needs a value")
            self.extra.append((field, value))
        self.fields = given + [f for f, _v in self.extra]
        self.extra_values = tuple(self._adapt(f, v) for f, v in self.extra)
        self.converters = [self._converter(f) for f in given]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        table = connection.ops.quote_name(meta.db_table)
        self.batch = []
        if is_postgres():
            self._sql = f"COPY {table} ({columns}) FROM STDIN"
        else:
            marks = ", ".join("?" for _f in self.fields)
            self._sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"

    @staticmethod
    def _converter(field):
        if isinstance(field, models.JSONField):
            return json.dumps
        if is_postgres():
            return None
        if isinstance(field, models.DateTimeField):
            return lambda v: v.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
        if isinstance(field, models.DateField):
            return lambda v: v.isoformat()
        return None

    def _adapt(self, field, value):
        convert = self._converter(field)
        return convert(value) if convert and value is not None else value

    def add(self, *values):
        converted = tuple(c(v) if c and v is not None else v for c, v in zip(self.converters, values, strict=True))
        self.batch.append(converted + self.extra_values)
        self.count += 1
        if len(self.batch) >= self.BATCH:
            self._flush()

    def _flush(self):
        if not self.batch:
            return
        for parent in self.parents:
            parent._flush()
        if is_postgres():
            with connection.cursor() as wrapper, wrapper.cursor.copy(self._sql) as copy:  # psycopg's own cursor
                for row in self.batch:
                    copy.write_row(row)
        else:
            connection.ensure_connection()
            connection.connection.executemany(self._sql, self.batch)
        self.batch = []

    def close(self):
        self._flush()
        return self.count
