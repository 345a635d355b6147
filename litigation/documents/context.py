"""The data every document is built from, gathered once per build (a fixed number of queries).

Exhibit numbering lives here only, so the attempt log, the bordereau, the dossier, the ZIP and the
complaint's annexes all give an evidence file the same number.
"""

import datetime
import hashlib
import json
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from attempts.enums import WRITTEN_CHANNELS
from attempts.models import Attempt, Evidence
from cases.models import Case
from litigation.readiness import readiness_evaluate_case

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
LOG_EXHIBIT = 1


def paris(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(PARIS)


def evidence_kind(evidence: Evidence) -> str:
    if evidence.content_type.startswith("image/"):
        return "image"
    if evidence.content_type == "application/pdf":
        return "pdf"
    return "file"


def safe_filename(text: str, limit: int = 90) -> str:
    """ASCII, no path separators or reserved characters: what Télérecours and every OS accept."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9 ._-]+", " ", ascii_text)
    return re.sub(r"\s+", " ", cleaned).strip()[:limit].rstrip(" .")


@dataclass
class Exhibit:
    number: int
    title: str
    kind: str  # "log", "image", "pdf" or "file"
    evidence: Evidence | None = None
    attempt: Attempt | None = None
    pdf_pages: range = range(0)  # set by the dossier build for readable PDF exhibits

    @property
    def extension(self) -> str:
        if self.kind == "log":
            return "pdf"
        name = self.evidence.original_name
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        return ext if re.fullmatch(r"[a-z0-9]{1,5}", ext) else "bin"

    @property
    def filename(self) -> str:
        return f"Piece {self.number:03d} - {safe_filename(self.title)}.{self.extension}"


@dataclass
class AttemptRow:
    attempt: Attempt
    moment: datetime.datetime  # Paris time
    evidence: list = field(default_factory=list)  # [(exhibit number, Evidence)]

    @property
    def exhibit_numbers(self) -> str:
        return ", ".join(str(n) for n, _e in self.evidence) or "—"

    @property
    def is_written(self) -> bool:
        return self.attempt.channel in WRITTEN_CHANNELS


@dataclass
class CaseDocumentData:
    case: Case
    rows: list
    exhibits: list
    evaluation: object
    residence_document: object
    harms: list
    today: datetime.date
    generated_at: datetime.datetime

    @property
    def written_requests(self) -> list:
        return [r for r in self.rows if r.is_written]

    @property
    def evidence_exhibits(self) -> list:
        return [e for e in self.exhibits if e.kind != "log"]


def _exhibit_title(evidence: Evidence, attempt: Attempt) -> str:
    moment = paris(attempt.moment)
    what = {"image": _("Capture d'écran"), "pdf": _("Document PDF"), "file": _("Fichier")}[evidence_kind(evidence)]
    return _("%(what)s du %(date)s à %(time)s - %(channel)s - %(outcome)s") % {
        "what": what,
        "date": moment.strftime("%d/%m/%Y"),
        "time": moment.strftime("%H:%M"),
        "channel": attempt.get_channel_display(),
        "outcome": attempt.get_outcome_display(),
    }


def case_document_data(case: Case) -> CaseDocumentData:
    attempts = list(
        Attempt.objects.filter(case=case)
        .prefetch_related(
            Prefetch(
                "evidence", queryset=Evidence.objects.filter(deleted_at__isnull=True).order_by("received_at", "id")
            )
        )
        .order_by("moment", "id")
    )
    exhibits = [Exhibit(LOG_EXHIBIT, _("Relevé des tentatives et attestation"), "log")]
    rows = []
    for attempt in attempts:
        row = AttemptRow(attempt=attempt, moment=paris(attempt.moment))
        for evidence in attempt.evidence.all():
            number = len(exhibits) + 1
            exhibits.append(
                Exhibit(number, _exhibit_title(evidence, attempt), evidence_kind(evidence), evidence, attempt)
            )
            row.evidence.append((number, evidence))
        rows.append(row)
    documents = sorted(
        case.person.documents.all(), key=lambda d: (d.valid_until or datetime.date.min, d.pk), reverse=True
    )
    return CaseDocumentData(
        case=case,
        rows=rows,
        exhibits=exhibits,
        evaluation=readiness_evaluate_case(case.pk),
        residence_document=documents[0] if documents else None,
        harms=list(case.harms.all()),
        today=timezone.localdate(),
        generated_at=timezone.now(),
    )


def data_hash(data: CaseDocumentData, options: dict) -> str:
    """Hash of every input a document shows: a different hash means the document is out of date."""
    case, person = data.case, data.case.person
    payload = {
        "case": [case.pk, case.version, case.procedure, case.filing_date, case.has_unexecuted_oqtf],
        "person": [person.pk, person.version],
        "attempts": [[r.attempt.pk, r.attempt.version, [e.sha256 for _n, e in r.evidence]] for r in data.rows],
        "document": data.residence_document.pk if data.residence_document else None,
        "harms": [h.pk for h in data.harms],
        "policy": data.evaluation.policy_id,
        "options": options,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
