"""Build a GeneratedDocument: claim it, build into a temporary folder, then store it atomically.

A build that fails or is interrupted never leaves a file the app serves: the row points to a file
only once it is completely written, in the same transaction that marks it done. Safe to run twice:
only a pending document is claimed.
"""

import hashlib
import logging
import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import AuditAction
from accounts.services import audit_record
from litigation.documents import letters
from litigation.documents.context import case_document_data, data_hash
from litigation.documents.dossier import build_dossier_pdf, build_exhibit_zip
from litigation.documents.render import render_document
from litigation.enums import DocumentKind, DocumentStatus
from litigation.models import GeneratedDocument

logger = logging.getLogger(__name__)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _simple(template):
    def build(document, data, folder: Path) -> dict:
        context = letters.context_for(document, data)
        evidence = {e.evidence.pk: e.evidence for e in data.evidence_exhibits}
        rendered = render_document(template, context, evidence_by_id=evidence)
        target = folder / "document.pdf"
        rendered.write_pdf(target)
        return {"pdf": target, "pages": len(rendered.pages)}

    return build


def _dossier(document, data, folder: Path) -> dict:
    context = letters.context_for(document, data)
    target = folder / "dossier.pdf"
    pages = build_dossier_pdf(data, context, target)
    log_pdf = folder / "log.pdf"
    render_document("litigation/pdf/attempt_log.html", context).write_pdf(log_pdf)
    archive = folder / "pieces.zip"
    build_exhibit_zip(data, log_pdf, archive)
    return {"pdf": target, "pages": pages, "archive": archive}


BUILDERS = {
    DocumentKind.APPOINTMENT_LETTER: _simple("litigation/pdf/appointment_letter.html"),
    DocumentKind.ATTEMPT_LOG: _simple("litigation/pdf/attempt_log.html"),
    DocumentKind.DEFENDER_COMPLAINT: _simple("litigation/pdf/defender_complaint.html"),
    DocumentKind.REFERE_DOSSIER: _dossier,
}


def document_build(document_id: int) -> str | None:
    """Build one pending document. Returns its final status, or None when it was not pending."""
    claimed = GeneratedDocument.objects.filter(pk=document_id, status=DocumentStatus.PENDING).update(
        status=DocumentStatus.BUILDING, started_at=timezone.now(), error=""
    )
    if not claimed:
        return None
    document = GeneratedDocument.objects.select_related(
        "case__person", "case__prefecture", "case__team__organisation", "created_by"
    ).get(pk=document_id)
    try:
        with tempfile.TemporaryDirectory(prefix="plage-doc-") as tmp:
            data = case_document_data(document.case)
            result = BUILDERS[document.kind](document, data, Path(tmp))
            _store(document, data, result)
        return DocumentStatus.DONE
    except Exception as exc:
        # The job must not die silently nor leave "building" forever: record why, offer a retry.
        logger.exception("Document %s failed", document_id)
        GeneratedDocument.objects.filter(pk=document_id).update(
            status=DocumentStatus.FAILED,
            error=_("La construction a échoué : %(error)s") % {"error": f"{type(exc).__name__}: {exc}"[:500]},
            finished_at=timezone.now(),
        )
        return DocumentStatus.FAILED


def _store(document: GeneratedDocument, data, result: dict) -> None:
    stem = f"case{document.case_id}-{document.kind}-{document.pk}"
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
        with result["pdf"].open("rb") as handle:
            document.file.save(f"{stem}.pdf", File(handle), save=False)
        document.sha256 = sha256_of(result["pdf"])
        document.size = result["pdf"].stat().st_size
        if "archive" in result:
            with result["archive"].open("rb") as handle:
                document.archive.save(f"{stem}.zip", File(handle), save=False)
            document.archive_sha256 = sha256_of(result["archive"])
        document.page_count = result["pages"]
        document.exhibit_count = len(data.exhibits)
        document.data_hash = data_hash(data, document.options)
        document.status = DocumentStatus.DONE
        document.finished_at = timezone.now()
        document.save()
        audit_record(
            action=AuditAction.DOCUMENT_GENERATE,
            actor=document.created_by,
            obj=document,
            case_id=document.case_id,
            details={"kind": document.kind, "step": "done", "sha256": document.sha256, "data_hash": document.data_hash},
        )
