"""A person's data, exported for them on request (right of access, or before anonymisation).

A ZIP with `donnees.json` (the person, their residence documents, cases, attempts, harms,
court actions and referrals), `tentatives.csv` and the evidence files. It is built by a job on
the `exports` queue, written to storage under its final name only once complete (nothing
half-written is ever offered), kept ARCHIVE_DAYS days, and every request and download is
audited. Lives in litigation because it reads cases, attempts and litigation data.
"""

import csv
import datetime
import io
import json
import tempfile
import zipfile

from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.services import audit_record
from attempts.models import Attempt, Evidence
from cases.models import Case, Person
from config.queues import enqueue
from litigation.enums import ArchiveStatus
from litigation.models import DefenderReferral, LitigationAction, PersonArchive

ARCHIVE_DAYS = 7
PERSON_FIELDS = (
    "last_name",
    "first_name",
    "aliases",
    "birth_date",
    "birth_place",
    "nationality",
    "languages",
    "phone",
    "email",
    "postal_address",
    "foreigner_number",
    "situation",
    "consent_at",
)
ATTEMPT_COLUMNS = ("id", "case", "moment", "channel", "outcome", "url", "message", "note", "reply", "reply_date")


@transaction.atomic
def person_archive_request(*, person: Person, user, request=None) -> tuple[PersonArchive, str]:
    """Record the request (audited) and build the ZIP after commit. Returns (archive, "queued"|"inline")."""
    archive = PersonArchive.objects.create(
        person=person,
        requested_by=user,
        expires_at=timezone.now() + datetime.timedelta(days=ARCHIVE_DAYS),
    )
    audit_record(
        action=AuditAction.EXPORT,
        actor=user,
        request=request,
        obj=person,
        details={"export": "person_archive", "archive": archive.pk},
    )
    from litigation.tasks import person_archive_build as job  # tasks imports this module

    mode = enqueue(job, archive.pk, queue="exports", retry=True, organisation_id=person.organisation_id)
    return archive, mode


def _rows(queryset, exclude=()):
    return [{k: v for k, v in model_to_dict(obj).items() if k not in exclude} for obj in queryset]


def _collect(person: Person) -> dict:
    cases = Case.objects.filter(person=person).select_related("prefecture", "team")
    attempts = Attempt.objects.filter(case__person=person).order_by("moment", "id")
    return {
        "personne": {"id": person.pk, **{f: getattr(person, f) for f in PERSON_FIELDS}},
        "documents_de_sejour": _rows(person.documents.all(), exclude=("person",)),
        "dossiers": [
            {
                "id": case.pk,
                "demarche": case.get_procedure_display(),
                "prefecture": case.prefecture.name,
                "statut": case.get_status_display(),
                "date_entree": case.entry_date,
                "date_depot": case.filing_date,
                "notes": case.notes,
                "cree_le": case.created_at,
                "clos_le": case.closed_at,
                "prejudices": _rows(case.harms.all(), exclude=("case", "recorded_by")),
            }
            for case in cases
        ],
        "tentatives": _rows(attempts, exclude=("recorded_by",)),
        "preuves": [
            {
                "tentative": e.attempt_id,
                "fichier": e.original_name,
                "sha256": e.sha256,
                "recu_le": e.received_at,
                "taille": e.size,
            }
            for e in Evidence.objects.filter(attempt__case__person=person, deleted_at__isnull=True)
        ],
        "recours": _rows(LitigationAction.objects.filter(case__person=person), exclude=("created_by", "updated_by")),
        "saisines_defenseur_des_droits": _rows(
            DefenderReferral.objects.filter(case__person=person), exclude=("created_by", "updated_by")
        ),
    }


def _attempts_csv(attempts: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(ATTEMPT_COLUMNS)
    for row in attempts:
        writer.writerow([row.get(c, "") for c in ATTEMPT_COLUMNS])
    return "\ufeff" + out.getvalue()


def person_archive_build(archive_id: int) -> str:
    """Job: build the ZIP. Idempotent: a built archive is left as is."""
    archive = PersonArchive.objects.select_related("person").get(pk=archive_id)
    if archive.status == ArchiveStatus.DONE and archive.file:
        return "already built"
    data = _collect(archive.person)
    with tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024) as buffer:
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("donnees.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
            zf.writestr("tentatives.csv", _attempts_csv(data["tentatives"]))
            for evidence in Evidence.objects.filter(attempt__case__person=archive.person, deleted_at__isnull=True):
                if not evidence.file:
                    continue
                with evidence.file.open("rb") as source:
                    zf.writestr(f"preuves/{evidence.attempt_id}/{evidence.sha256[:12]}-{evidence.pk}", source.read())
        buffer.seek(0)
        with transaction.atomic():
            locked = PersonArchive.objects.select_for_update().get(pk=archive_id)
            if locked.status == ArchiveStatus.DONE and locked.file:
                return "already built"
            locked.file.save(f"donnees-personne-{archive.person_id}.zip", File(buffer), save=False)
            locked.status = ArchiveStatus.DONE
            locked.built_at = timezone.now()
            locked.save(update_fields=["file", "status", "built_at"])
    return "built"


def person_archive_download_audit(*, archive: PersonArchive, user, request=None) -> None:
    audit_record(
        action=AuditAction.DOCUMENT_DOWNLOAD,
        actor=user,
        request=request,
        obj=archive.person,
        details={"export": "person_archive", "archive": archive.pk},
    )
