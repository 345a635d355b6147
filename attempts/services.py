"""Writes for attempts: attempts, their evidence, corrections, the person's own link.

Every file is checked (attempts.evidence) before anything is written, so a refused file leaves
no row and no file. Hash, size, type and receipt time of evidence are set here once and never
changed; a correction of an attempt keeps its before/after in AttemptRevision and the journal.
"""

import datetime
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import CharField, Count, Max, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import AuditAction
from accounts.models import User
from accounts.services import audit_record
from attempts.enums import MESSAGE_NO_SLOT, Channel, Outcome, RecordedVia
from attempts.evidence import CheckedFile, make_thumbnail, validate_upload
from attempts.models import Attempt, AttemptRevision, Evidence, SelfReportLink
from cases.models import Case

CORRECTABLE_FIELDS = ("outcome", "note", "reply", "reply_date", "acknowledgement_number", "acknowledgement_date")


class StaleAttemptError(ValidationError):
    """Someone corrected the attempt since the form was opened."""


@dataclass(frozen=True)
class StoredFile:
    """Evidence checked and written to storage whose row is not inserted yet."""

    checked: CheckedFile
    file: str
    thumbnail: str
    received_at: datetime.datetime


def check_files(*, files: Sequence) -> list[CheckedFile | StoredFile]:
    """Validate every file first: one bad file refuses the whole submission (nothing stored)."""
    if len(files) > settings.EVIDENCE_MAX_FILES:
        raise ValidationError(
            _("Trop de fichiers : %(max)d au plus par tentative.") % {"max": settings.EVIDENCE_MAX_FILES}
        )
    checked, errors = [], []
    for upload in files:
        if isinstance(upload, CheckedFile | StoredFile):  # checked already
            checked.append(upload)
            continue
        try:
            checked.append(validate_upload(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return checked


def case_refresh_attempt_counters(*, case_id: int) -> None:
    """Case.attempt_count / last_attempt_at: recomputed from the rows, never incremented blindly.

    `updated_at` moves too (update() skips auto_now): an attempt logged today with an earlier moment
    still changes the case after litigation's last readiness check, which must then run again.
    """
    totals = Attempt.objects.filter(case_id=case_id).aggregate(n=Count("id"), last=Max("moment"))
    Case.objects.filter(pk=case_id).update(
        attempt_count=totals["n"], last_attempt_at=totals["last"], updated_at=timezone.now()
    )


def _audit_actor(*, user: User | None, link: SelfReportLink | None) -> dict:
    if user is not None:
        return {"actor": user}
    # The person has no account: name the link by its id (never its token).
    return {"actor": None, "details": {"actor_label": f"lien personnel #{link.pk}" if link else ""}}


def _organisation_of(case: Case):
    return case.team.organisation


def attempt_record(
    *,
    case: Case,
    moment: datetime.datetime | None = None,
    channel: str = Channel.PREFECTURE_WEB,
    outcome: str = Outcome.NO_SLOT,
    url: str = "",
    message: str = "",
    note: str = "",
    recorded_by: User | None = None,
    recorded_via: str = RecordedVia.CASEWORKER,
    self_report_link: SelfReportLink | None = None,
    acknowledgement_number: str = "",
    acknowledgement_date: datetime.date | None = None,
    reply: str = "",
    reply_date: datetime.date | None = None,
    files: Sequence = (),
    request=None,
) -> Attempt:
    """One attempt and its evidence. The slow part (checks, hashes, thumbnails, files written)
    comes first, outside any transaction of ours; only the rows are then written in one
    transaction, so SQLite's single write lock is held for milliseconds, not for image decoding."""
    checked = check_files(files=files)
    now = timezone.now()
    moment = moment or now
    if moment > now + datetime.timedelta(minutes=5):
        raise ValidationError({"moment": _("Une tentative ne peut pas être dans le futur.")})
    stored = evidence_files_store(files=checked)
    try:
        return _attempt_insert(
            case=case,
            moment=moment,
            channel=channel,
            outcome=outcome,
            url=url,
            message=message,
            note=note,
            recorded_by=recorded_by,
            recorded_via=recorded_via,
            self_report_link=self_report_link,
            acknowledgement_number=acknowledgement_number,
            acknowledgement_date=acknowledgement_date,
            reply=reply,
            reply_date=reply_date,
            stored=stored,
            request=request,
        )
    except BaseException:
        evidence_files_discard(stored=[item for item, given in zip(stored, checked, strict=True) if item is not given])
        raise


@transaction.atomic
def _attempt_insert(*, case: Case, stored: list[StoredFile], request, **fields) -> Attempt:
    attempt = Attempt.objects.create(case=case, **fields)
    recorded_by, self_report_link = fields["recorded_by"], fields["self_report_link"]
    actor = _audit_actor(user=recorded_by, link=self_report_link)
    audit_record(
        action=AuditAction.ATTEMPT_CREATE,
        request=request,
        obj=attempt,
        case_id=case.pk,
        organisation=_organisation_of(case),
        actor=actor["actor"],
        details={
            **actor.get("details", {}),
            "moment": attempt.moment.isoformat(),
            "channel": fields["channel"],
            "outcome": fields["outcome"],
            "recorded_via": fields["recorded_via"],
            "self_report_link_id": self_report_link.pk if self_report_link else None,
            "files": len(stored),
        },
    )
    for item in stored:
        evidence_add(
            attempt=attempt,
            file=item,
            uploaded_by=recorded_by,
            uploaded_via=fields["recorded_via"],
            self_report_link=self_report_link,
            request=request,
        )
    case_refresh_attempt_counters(case_id=case.pk)
    return attempt


def evidence_files_store(*, files: Sequence) -> list[StoredFile]:
    """Check (unless already checked), thumbnail and write each file: the work done before the
    transaction that inserts the rows. On failure, nothing written here is left behind.
    A StoredFile given is passed through as it is."""
    stored: list[StoredFile] = []
    written: list[str] = []
    try:
        for item in check_files(files=files):
            if isinstance(item, StoredFile):
                stored.append(item)
                continue
            received_at = timezone.now()
            thumbnail = make_thumbnail(item)
            name = _store(f"evidence/{received_at:%Y/%m}/{item.sha256}.{item.extension}", item.data, written)
            thumb = _store(f"thumbnails/{received_at:%Y/%m}/{item.sha256}.jpg", thumbnail, written) if thumbnail else ""
            stored.append(StoredFile(checked=item, file=name, thumbnail=thumb, received_at=received_at))
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return stored


def evidence_files_discard(*, stored: Sequence[StoredFile]) -> None:
    """The files of evidence whose rows were not written (their transaction failed)."""
    for item in stored:
        for name in (item.file, item.thumbnail):
            if name:
                default_storage.delete(name)


def _store(name: str, data: bytes, written: list[str]) -> str:
    stored = default_storage.save(name, ContentFile(data))
    written.append(stored)
    return stored


def evidence_add(
    *,
    attempt: Attempt,
    file,
    uploaded_by: User | None = None,
    uploaded_via: str = RecordedVia.CASEWORKER,
    self_report_link: SelfReportLink | None = None,
    request=None,
) -> Evidence:
    """Store one file, byte for byte, with its hash and the server's receipt time.

    `file` is an upload, a CheckedFile or a StoredFile (already written, see
    evidence_files_store). Files are written before the transaction that inserts the row."""
    (stored,) = evidence_files_store(files=[file])
    try:
        return _evidence_insert(
            attempt=attempt,
            stored=stored,
            uploaded_by=uploaded_by,
            uploaded_via=uploaded_via,
            self_report_link=self_report_link,
            request=request,
        )
    except BaseException:
        if stored is not file:
            evidence_files_discard(stored=[stored])
        raise


@transaction.atomic
def _evidence_insert(
    *,
    attempt: Attempt,
    stored: StoredFile,
    uploaded_by: User | None,
    uploaded_via: str,
    self_report_link: SelfReportLink | None,
    request,
) -> Evidence:
    checked = stored.checked
    evidence = Evidence.objects.create(
        attempt=attempt,
        file=stored.file,
        thumbnail=stored.thumbnail,
        sha256=checked.sha256,
        size=checked.size,
        content_type=checked.content_type,
        original_name=checked.original_name,
        received_at=stored.received_at,
        uploaded_by=uploaded_by,
        uploaded_via=uploaded_via,
    )
    Attempt.objects.filter(pk=attempt.pk).update(evidence_count=attempt.evidence.present().count())
    attempt.refresh_from_db(fields=["evidence_count"])
    actor = _audit_actor(user=uploaded_by, link=self_report_link)
    audit_record(
        action=AuditAction.EVIDENCE_UPLOAD,
        request=request,
        obj=evidence,
        case_id=attempt.case_id,
        organisation=_organisation_of(attempt.case),
        actor=actor["actor"],
        details={
            **actor.get("details", {}),
            "attempt_id": attempt.pk,
            "sha256": evidence.sha256,
            "size": evidence.size,
            "content_type": evidence.content_type,
            "original_name": evidence.original_name,
            "received_at": stored.received_at.isoformat(),
        },
    )
    return evidence


def _correctable_state(attempt: Attempt) -> dict:
    state = {}
    for field in CORRECTABLE_FIELDS:
        value = getattr(attempt, field)
        state[field] = value.isoformat() if isinstance(value, datetime.date) else value
    return state


@transaction.atomic
def attempt_correct(
    *,
    attempt: Attempt,
    version: int,
    corrected_by: User,
    reason: str = "",
    request=None,
    **changes,
) -> Attempt:
    """Correct the outcome, note or the prefecture's reply; the moment and evidence never change."""
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not correctable: {sorted(unknown)}")
    current = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if current.version != version:
        last = current.revisions.select_related("changed_by").first()
        who = (last.changed_by if last and last.changed_by else None) or _("une autre personne")
        raise StaleAttemptError(
            _(
                "Cette tentative a été corrigée entre-temps par %(who)s (version %(version)d). "
                "Rechargez la page pour voir sa nouvelle version avant de la corriger."
            )
            % {"who": who, "version": current.version}
        )
    before = _correctable_state(current)
    for field, value in changes.items():
        setattr(current, field, value)
    after = _correctable_state(current)
    if before == after:
        return current
    current.version += 1
    current.save(update_fields=[*changes.keys(), "version", "updated_at"])
    changed = {k: v for k, v in before.items() if after[k] != v}
    AttemptRevision.objects.create(
        attempt=current,
        version=current.version,
        before=changed,
        after={k: after[k] for k in changed},
        reason=reason,
        changed_by=corrected_by,
    )
    audit_record(
        action=AuditAction.ATTEMPT_UPDATE,
        actor=corrected_by,
        request=request,
        obj=current,
        case_id=current.case_id,
        details={"before": changed, "after": {k: after[k] for k in changed}, "reason": reason},
    )
    return current


@transaction.atomic
def evidence_delete(*, evidence: Evidence, deleted_by: User, reason: str, request=None) -> Evidence:
    """Admin only. The file goes; the row stays with its hash, who deleted it, when and why."""
    if not deleted_by.is_org_admin:
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez pourquoi cette preuve est supprimée.")})
    current = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if current.deleted_at is not None:
        return current
    names = [f.name for f in (current.file, current.thumbnail) if f]
    current.deleted_at = timezone.now()
    current.deleted_by = deleted_by
    current.delete_reason = reason[:300]
    current.file = ""
    current.thumbnail = ""
    current.save(update_fields=["deleted_at", "deleted_by", "delete_reason", "file", "thumbnail"])
    Attempt.objects.filter(pk=current.attempt_id).update(
        evidence_count=Evidence.objects.filter(attempt_id=current.attempt_id).present().count()
    )
    # Remove the bytes only once the deletion is committed (a rollback keeps the file).
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    audit_record(
        action=AuditAction.EVIDENCE_DELETE,
        actor=deleted_by,
        request=request,
        obj=current,
        case_id=current.attempt.case_id,
        details={
            "attempt_id": current.attempt_id,
            "sha256": current.sha256,
            "original_name": current.original_name,
            "reason": current.delete_reason,
        },
    )
    return current


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def self_report_link_create(
    *, case: Case, created_by: User, language: str = "fr", days: int | None = None, request=None
) -> tuple[SelfReportLink, str]:
    """Returns the link and its token; the token is shown once and only its hash is kept."""
    token = secrets.token_urlsafe(32)
    days = days or settings.SELF_REPORT_LINK_DAYS
    link = SelfReportLink.objects.create(
        case=case,
        token_hash=token_hash(token),
        language=language,
        created_by=created_by,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    audit_record(
        action=AuditAction.SELF_REPORT_LINK,
        actor=created_by,
        request=request,
        obj=link,
        case_id=case.pk,
        details={
            "event": "created",
            "link_id": link.pk,
            "language": language,
            "expires_at": link.expires_at.isoformat(),
        },
    )
    return link, token


@transaction.atomic
def self_report_link_revoke(*, link: SelfReportLink, revoked_by: User, request=None) -> SelfReportLink:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = revoked_by
        link.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            action=AuditAction.SELF_REPORT_LINK,
            actor=revoked_by,
            request=request,
            obj=link,
            case_id=link.case_id,
            details={"event": "revoked", "link_id": link.pk},
        )
    return link


def self_report_submit(*, link: SelfReportLink, files: Sequence = (), request=None) -> Attempt:
    """The person says "I tried now: no slot". The server's receipt time is the moment.

    Files are checked and written first (see attempt_record), then the link is locked and the
    rows written in one short transaction."""
    stored = evidence_files_store(files=files)
    try:
        return _self_report_insert(link=link, stored=stored, request=request)
    except BaseException:
        evidence_files_discard(stored=[item for item, given in zip(stored, files, strict=True) if item is not given])
        raise


@transaction.atomic
def _self_report_insert(*, link: SelfReportLink, stored: list[StoredFile], request) -> Attempt:
    link = SelfReportLink.objects.select_for_update().select_related("case__prefecture", "case__team").get(pk=link.pk)
    if not link.is_active:
        raise PermissionDenied
    attempt = attempt_record(
        case=link.case,
        moment=timezone.now(),
        channel=Channel.PREFECTURE_WEB,
        outcome=Outcome.NO_SLOT,
        url=link.case.prefecture.booking_url,
        message=MESSAGE_NO_SLOT,
        recorded_via=RecordedVia.SELF_REPORT,
        self_report_link=link,
        files=stored,
        request=request,
    )
    SelfReportLink.objects.filter(pk=link.pk).update(last_used_at=attempt.moment, use_count=link.use_count + 1)
    return attempt


# A dead link's row is kept as the provenance of the attempts it brought (their
# `self_report_link`), but its credential is destroyed; an unused one is simply deleted.
SELF_REPORT_LINK_KEEP_DAYS = 30
PURGED_PREFIX = "purged:"  # not a hex digest: a purged hash never matches a token again


def self_report_links_purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Nightly cleanup of links expired or revoked over SELF_REPORT_LINK_KEEP_DAYS ago. Idempotent."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=SELF_REPORT_LINK_KEEP_DAYS)
    dead = SelfReportLink.objects.filter(Q(expires_at__lt=limit) | Q(revoked_at__lt=limit)).exclude(
        token_hash__startswith=PURGED_PREFIX
    )
    deleted, _by_model = dead.filter(attempts__isnull=True).delete()
    purged = dead.update(token_hash=Concat(Value(PURGED_PREFIX), Cast("id", CharField())))
    return deleted + purged
