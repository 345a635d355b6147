"""Writes of the import steps: upload, mapping (and its preview), choices, commit, purge.

The commit itself is in `commit.py`; this module decides whether it runs now or as a job.
"""

import datetime
import hashlib
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Team, User
from attempts.imports import mapping as mapping_rules
from attempts.imports.commit import ImportCommitError, import_batch_commit
from attempts.imports.models import ImportBatch, ImportMapping, import_upload_to
from attempts.imports.preview import ERROR, build_preview, parse_batch
from attempts.imports.reading import UnreadableFile, read_table
from cases.enums import ProcedureType
from cases.models import Prefecture
from config.queues import enqueue

ALLOWED_EXTENSIONS = {".csv", ".txt", ".tsv", ".xlsx"}


class ImportRefused(ValueError):
    """A user-facing reason why a step cannot be done (the message is shown as is)."""


def _check_upload(name: str, data: bytes):
    if PurePath(name).suffix.lower() not in ALLOWED_EXTENSIONS:
        raise ImportRefused(_("Format non pris en charge : déposez un fichier CSV ou XLSX."))
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise ImportRefused(
            _("Fichier trop volumineux (%(max)s Mo au plus).") % {"max": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    try:
        table = read_table(data)
    except UnreadableFile as error:
        raise ImportRefused(str(error)) from error
    if not table.rows:
        raise ImportRefused(_("Le fichier ne contient aucune ligne sous les en-têtes."))
    if len(table.rows) > settings.IMPORT_MAX_ROWS:
        raise ImportRefused(_("Trop de lignes (%(max)s au plus par fichier).") % {"max": settings.IMPORT_MAX_ROWS})
    return table


def columns_from_mapping(saved: ImportMapping, headers: list[str]) -> list[str]:
    return [saved.columns.get(mapping_rules.header_key(header), mapping_rules.IGNORE) for header in headers]


@transaction.atomic
def import_batch_upload(
    *, by: User, team: Team, name: str, data: bytes, saved_mapping: ImportMapping | None = None
) -> ImportBatch:
    """Store the file under a random name, read its headers and propose a mapping."""
    if team.organisation_id != by.organisation_id:
        raise ImportRefused(_("Cette équipe n'appartient pas à votre association."))
    table = _check_upload(name, data)
    batch = ImportBatch(
        organisation_id=team.organisation_id,
        team=team,
        created_by=by,
        original_name=PurePath(name).name[:255],
        size=len(data),
        file_hash=hashlib.sha256(data).hexdigest(),
        file_format=table.file_format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        headers=table.headers,
        rows_total=len(table.rows),
    )
    if saved_mapping is not None and saved_mapping.organisation_id == team.organisation_id:
        batch.columns, batch.defaults, batch.mapping = (
            columns_from_mapping(saved_mapping, table.headers),
            saved_mapping.defaults,
            saved_mapping,
        )
    else:
        batch.columns = mapping_rules.propose(table.headers)
    stored = default_storage.save(import_upload_to(batch, name), ContentFile(data))
    batch.stored_file.name = stored
    try:
        batch.save()
    except Exception:
        default_storage.delete(stored)
        raise
    return batch


def clean_defaults(defaults: dict) -> dict:
    cleaned = {}
    prefecture = defaults.get("prefecture")
    if prefecture and Prefecture.objects.filter(pk=prefecture).exists():
        cleaned["prefecture"] = int(prefecture)
    if defaults.get("procedure") in ProcedureType.values:
        cleaned["procedure"] = defaults["procedure"]
    return cleaned


@transaction.atomic
def import_batch_map(
    *, batch: ImportBatch, columns: list[str], defaults: dict, by: User, save_as: str = ""
) -> ImportBatch:
    """Set the (corrected) mapping, optionally save it by name, and compute the preview."""
    if batch.status not in (ImportBatch.Status.UPLOADED, ImportBatch.Status.PREVIEWED):
        raise ImportRefused(_("Cet import n'est plus modifiable."))
    defaults = clean_defaults(defaults)
    problems = mapping_rules.validate(columns, defaults)
    if problems:
        raise ImportRefused(" ".join(str(p) for p in problems))
    batch.columns, batch.defaults = columns, defaults
    if save_as.strip():
        keyed = {
            mapping_rules.header_key(header): field
            for header, field in zip(batch.headers, columns, strict=True)
            if field and mapping_rules.header_key(header)
        }
        batch.mapping, _created = ImportMapping.objects.update_or_create(
            organisation_id=batch.organisation_id,
            name=save_as.strip()[:100],
            defaults={"columns": keyed, "defaults": defaults, "created_by": by},
        )
    table, rows = parse_batch(batch)
    batch.preview = build_preview(batch, table, rows)
    batch.choices = {}
    batch.status = ImportBatch.Status.PREVIEWED
    batch.save()
    return batch


def choice_options(entry: dict) -> list[str]:
    """The choices a preview row accepts: create, skip, or merge into one of its likely duplicates."""
    if entry["status"] != "ok":
        return []
    options = ["create", "skip"]
    options += [f"merge:{found['person']}" for found in entry["existing"]]
    options += [f"merge-line:{found['line']}" for found in entry["in_file"]]
    return options


@transaction.atomic
def import_batch_choose(*, batch: ImportBatch, choices: dict[str, str]) -> ImportBatch:
    """Record the per-row choices (only values the preview offered for that row are kept)."""
    entries = {str(entry["line"]): entry for entry in batch.preview.get("rows", [])}
    batch.choices = {
        line: choice for line, choice in choices.items() if line in entries and choice in choice_options(entries[line])
    }
    batch.save(update_fields=["choices"])
    return batch


def _delete_file(name: str) -> None:
    if name:
        default_storage.delete(name)


def import_batch_start(*, batch: ImportBatch, by: User, request=None) -> str:
    """Commit now ("done"/"failed"), or as a job for a large file ("queued"). Never half-imports."""
    if batch.status not in (ImportBatch.Status.PREVIEWED, ImportBatch.Status.FAILED):
        raise ImportRefused(_("Cet import n'est pas prêt à être validé."))
    if batch.rows_total > settings.IMPORT_ASYNC_ROWS:
        from attempts.imports.tasks import import_batch_run

        batch.status = ImportBatch.Status.QUEUED
        batch.save(update_fields=["status"])
        mode = enqueue(import_batch_run, batch.pk, by.pk, queue="default", organisation_id=batch.organisation_id)
        return "queued" if mode == "queued" else "inline"
    return import_batch_execute(batch_id=batch.pk, by=by, request=request)


def import_batch_execute(*, batch_id: int, by: User, progress=None, request=None) -> str:
    """Run the atomic commit; on any failure nothing stays written and the batch says why."""
    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        with transaction.atomic():
            batch = import_batch_commit(batch=batch, by=by, progress=progress, request=request)
            name, batch.stored_file = batch.stored_file.name, ""
            batch.save(update_fields=["stored_file"])
            transaction.on_commit(lambda: _delete_file(name))
    except ImportCommitError:
        return "done"
    except Exception as error:  # the import is atomic: report any failure, keep nothing
        import_batch_fail(batch_id=batch_id, message=f"{type(error).__name__}: {error}")
        return "failed"
    return "done"


@transaction.atomic
def import_batch_fail(*, batch_id: int, message: str) -> None:
    ImportBatch.objects.filter(pk=batch_id).exclude(status=ImportBatch.Status.DONE).update(
        status=ImportBatch.Status.FAILED, failure=message[:2000]
    )


@transaction.atomic
def import_batch_discard(*, batch: ImportBatch) -> None:
    name = batch.stored_file.name
    batch.stored_file, batch.preview, batch.choices = "", {}, {}
    batch.status = ImportBatch.Status.CANCELLED
    batch.save()
    transaction.on_commit(lambda: _delete_file(name))


def import_batches_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete files of imports left unfinished, and error rows of old imports. Safe to run twice."""
    now = now or timezone.now()
    purged = 0
    stale = ImportBatch.objects.filter(
        status__in=(ImportBatch.Status.UPLOADED, ImportBatch.Status.PREVIEWED, ImportBatch.Status.FAILED),
        created_at__lt=now - datetime.timedelta(hours=settings.IMPORT_KEEP_HOURS),
    )
    for batch in stale:
        import_batch_discard(batch=batch)
        purged += 1
    old = ImportBatch.objects.filter(
        status=ImportBatch.Status.DONE, committed_at__lt=now - datetime.timedelta(days=settings.IMPORT_ERRORS_KEEP_DAYS)
    ).exclude(preview={})
    purged += old.update(preview={})
    return purged


def error_rows(batch: ImportBatch) -> list[dict]:
    return [entry for entry in batch.preview.get("rows", []) if entry["status"] == ERROR]
