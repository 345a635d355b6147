"""Heavy benchmarks, each run in its own process so its peak memory is its own:

    python -m bench.probes export            # /attempts/export.csv by a coordinator of the largest organisation
    python -m bench.probes copy SQLFILE      # PostgreSQL COPY (the export's own query) TO STDOUT WITH CSV
    python -m bench.probes import_export     # django-import-export on the same rows and columns
    python -m bench.probes recompute_flags   # the nightly command on every case
    python -m bench.probes dossier           # référé dossier of the case with 100 screenshot exhibits
    python -m bench.probes import_cases      # import_cases on a 10,000-row spreadsheet (rows removed after)

Each prints one JSON line: seconds, peak_rss_mb and what it produced.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.common import emit  # noqa: E402

EXPORT_URL = "/attempts/export.csv"


def _largest_lead_client():
    from bench.pages import lead_email, logged_in, organisations_by_size

    return logged_in(lead_email(organisations_by_size()[0]))


def _export_select(user) -> tuple[str, str]:
    """The export's row query as plain SQL (the view's own scoped, filtered, ordered queryset and
    the database fields of its columns: what COPY is compared with), and which writer it uses."""
    from django.http import QueryDict

    from config.csv_export import EXCEL_FR
    from reports.columns import ATTEMPT_COLUMNS, fields_for
    from reports.exports import KINDS, ExportRequest, copy_select

    queryset = KINDS["attempts"].build(ExportRequest(user=user, GET=QueryDict()))
    sql, params = queryset.values_list(*fields_for(list(ATTEMPT_COLUMNS))).query.sql_with_params()
    writer = "copy" if copy_select(queryset, list(ATTEMPT_COLUMNS), EXCEL_FR) else "python"
    if connection.vendor != "postgresql":
        return "", writer  # no COPY to compare with
    return connection.ops.compose_sql(sql, params), writer


def export(sql_out: str = "", mode: str = "as_users_get_it") -> None:
    """Everything a download costs: the request, the rows, the CSV, read to the last byte.

    Above EXPORT_ASYNC_THRESHOLD rows the page hands the export to a job (here inline after the
    request's commit: no Redis in the benchmark) that writes the file to storage; mode "stream"
    raises the threshold to time the streamed response instead.
    """
    from django.conf import settings

    from reports.models import ExportJob

    if mode == "stream":
        settings.EXPORT_ASYNC_THRESHOLD = 10**12
    client = _largest_lead_client()
    started = time.perf_counter()
    size = lines = 0
    with CaptureQueriesContext(connection) as queries:
        response = client.get(EXPORT_URL)
        if response.status_code == 302:  # the job ran after the request's commit: read its file
            job = ExportJob.objects.order_by("-pk").first()
            if job.status != ExportJob.Status.READY:
                raise SystemExit(f"export job {job.pk}: {job.status} {getattr(job, 'error', '')}")
            chunks = job.file.open("rb").chunks()
        elif response.status_code == 200:
            chunks = response.streaming_content if response.streaming else [response.content]
        else:
            raise SystemExit(f"{EXPORT_URL}: HTTP {response.status_code}")
        for chunk in chunks:
            size += len(chunk)
            lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    select, writer = _export_select(response.wsgi_request.user)
    if sql_out:
        Path(sql_out).write_text(select)
    emit(
        {
            "seconds": round(seconds, 2),
            "bytes": size,
            "lines": lines,
            "queries": len(queries),
            "mode": mode,
            "writer": writer,
        }
    )


def copy(sql_file: str) -> None:
    """PostgreSQL's own CSV writer on the export's query: the floor any Python export is compared to."""
    sql = Path(sql_file).read_text()
    started = time.perf_counter()
    size = lines = 0
    with connection.cursor() as wrapper, wrapper.cursor.copy(f"COPY ({sql}) TO STDOUT WITH CSV HEADER") as copy_out:
        for block in copy_out:
            size += len(block)
            lines += bytes(block).count(b"\n")
    emit({"seconds": round(time.perf_counter() - started, 2), "bytes": size, "lines": lines})


def import_export() -> None:
    """The peer: a django-import-export ModelResource over the same rows and database fields."""
    from import_export import fields, resources

    from accounts.models import User
    from attempts.models import Attempt
    from bench.pages import lead_email, organisations_by_size
    from reports.columns import ATTEMPT_COLUMNS, fields_for

    names = fields_for(ATTEMPT_COLUMNS)
    attrs = {name: fields.Field(attribute=name, column_name=name) for name in names}
    meta = type("Meta", (), {"model": Attempt, "fields": tuple(names)})
    resource_class = type("AttemptResource", (resources.ModelResource,), {**attrs, "Meta": meta})
    user = User.objects.get(email=lead_email(organisations_by_size()[0]))
    queryset = (
        Attempt.objects.visible_to(user)
        .select_related("case__person", "case__team", "case__prefecture")
        .order_by("moment", "id")
    )
    started = time.perf_counter()
    text = resource_class().export(queryset=queryset).csv
    emit({"seconds": round(time.perf_counter() - started, 2), "bytes": len(text.encode()), "lines": text.count("\n")})


def recompute_flags() -> None:
    started = time.perf_counter()
    call_command("recompute_flags", stdout=sys.stderr)
    emit({"seconds": round(time.perf_counter() - started, 2)})


def dossier() -> None:
    from attempts.models import Evidence
    from cases.models import Case
    from litigation.documents.build import document_build
    from litigation.enums import DocumentKind, DocumentStatus
    from litigation.models import GeneratedDocument

    case_id = (
        Evidence.objects.filter(deleted_at__isnull=True)
        .values("attempt__case_id")
        .annotate(n=Count("id"))
        .filter(n=100)
        .order_by("attempt__case_id")
        .values_list("attempt__case_id", flat=True)
        .first()
    )
    case = Case.objects.select_related("assignee").get(pk=case_id)
    document = GeneratedDocument.objects.create(case=case, kind=DocumentKind.REFERE_DOSSIER, created_by=case.assignee)
    started = time.perf_counter()
    status = document_build(document.pk)
    seconds = time.perf_counter() - started
    document.refresh_from_db()
    if status != DocumentStatus.DONE:
        raise SystemExit(f"dossier build {status}: {document.error}")
    emit(
        {
            "seconds": round(seconds, 2),
            "exhibits": document.exhibit_count,
            "pages": document.page_count,
            "pdf_mb": round(document.size / 1e6, 1),
        }
    )


def import_cases(rows: str = "10000") -> None:
    rows = int(rows)
    from bench.spreadsheet import cleanup_import_team, import_team, write_spreadsheet

    team = import_team()
    cleanup_import_team(team)
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        path = write_spreadsheet(Path(folder) / "suivi-permanence.xlsx", rows)
        started = time.perf_counter()
        call_command("import_cases", str(path), team=str(team.pk), stdout=sys.stderr)
        seconds = time.perf_counter() - started
    created = cleanup_import_team(team)
    emit({"seconds": round(seconds, 2), "rows": rows, **created})


if __name__ == "__main__":
    name, *args = sys.argv[1:]
    {
        "export": export,
        "copy": copy,
        "import_export": import_export,
        "recompute_flags": recompute_flags,
        "dossier": dossier,
        "import_cases": import_cases,
    }[name](*args)
