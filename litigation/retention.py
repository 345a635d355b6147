"""Retention: closed cases are anonymised after the organisation's period, never under legal hold.

Why in litigation: the legal hold (a court action or a Défenseur des droits referral still
pending) is litigation data, and anonymising touches cases and attempts below it.

Rules [decision]:
- a closed case (`closed_at`) is due `Organisation.retention_months` after closing, or the day
  after the latest `RetentionExtension.until` when a coordinator extended it;
- legal hold: a LitigationAction still pending, or whose order is not executed yet, or a
  DefenderReferral still pending. A held case is never anonymised, whatever the date;
- what goes: the case's notes and snooze reason, the attempts' free text (note, message, page
  address, acknowledgement number), harm notes, evidence files and thumbnails (removed from
  storage), self-report links, reminders, generated documents' files and personal archives;
- what stays, so statistics do not move: every row and its dates, prefecture, procedure,
  channel, outcome, status and counts; evidence rows keep their SHA-256, size, type and server
  receipt time (proof that evidence existed, without the file);
- the person is anonymised (names, birth date and place, contacts, address, foreigner number,
  situation, document numbers and notes) only once all their cases are; nationality is kept.
Coordinators see the cases due within 30 days (and get a reminder) and can extend with a reason.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import AuditAction
from accounts.services import audit_record
from attempts.models import Attempt, Evidence, SelfReportLink
from cases.models import Case, HarmEvent, Person, ResidenceDocument
from litigation.enums import ORDERING_OUTCOMES, ActionOutcome, NotificationKind, ReferralOutcome
from litigation.models import (
    DefenderReferral,
    GeneratedDocument,
    LitigationAction,
    Notification,
    PersonArchive,
    RetentionExtension,
)

logger = logging.getLogger(__name__)

WARNING_DAYS = 30
ANONYMOUS_NAME = "Anonyme"


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)


def held_case_ids(case_ids=None) -> set[int]:
    """Cases under legal hold: a court action or referral still running."""
    actions = LitigationAction.objects.filter(
        Q(outcome=ActionOutcome.PENDING) | Q(outcome__in=ORDERING_OUTCOMES, executed_on__isnull=True)
    )
    referrals = DefenderReferral.objects.filter(outcome=ReferralOutcome.PENDING)
    if case_ids is not None:
        actions, referrals = actions.filter(case_id__in=case_ids), referrals.filter(case_id__in=case_ids)
    return set(actions.values_list("case_id", flat=True)) | set(referrals.values_list("case_id", flat=True))


@dataclass(frozen=True)
class RetentionRow:
    case: Case
    due_on: datetime.date
    held: bool
    extended_until: datetime.date | None
    extension_reason: str


def _closed_cases():
    latest = RetentionExtension.objects.filter(case=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        Case.objects.filter(closed_at__isnull=False, anonymised_at__isnull=True, deleted_at__isnull=True)
        .select_related("team__organisation", "person", "prefecture")
        .annotate(
            extended_until=latest.values("until")[:1],
            extension_reason=latest.values("reason")[:1],
        )
    )


def due_on(case) -> datetime.date:
    closed = timezone.localdate(case.closed_at)
    due = add_months(closed, case.team.organisation.retention_months)
    if getattr(case, "extended_until", None):
        due = max(due, case.extended_until + datetime.timedelta(days=1))
    return due


def retention_rows(cases, *, until: datetime.date) -> list[RetentionRow]:
    """Closed, not yet anonymised cases of `cases` due on or before `until`."""
    candidates = list(_closed_cases().filter(pk__in=cases.values("pk")))
    held = held_case_ids([c.pk for c in candidates])
    rows = [
        RetentionRow(
            case=case,
            due_on=due_on(case),
            held=case.pk in held,
            extended_until=case.extended_until,
            extension_reason=case.extension_reason or "",
        )
        for case in candidates
    ]
    return sorted((row for row in rows if row.due_on <= until), key=lambda r: (r.due_on, r.case.pk))


def warning_events(today: datetime.date):
    """Reminders for coordinators: cases to be anonymised within WARNING_DAYS (not held)."""
    from litigation.notifications import Event

    until = today + datetime.timedelta(days=WARNING_DAYS)
    events = []
    for row in retention_rows(Case.objects.all(), until=until):
        if row.held or row.due_on <= today:
            continue
        message = _(
            "Anonymisation prévue le %(date)s (dossier clos). Vous pouvez la repousser en indiquant une raison."
        ) % {"date": row.due_on.strftime("%d/%m/%Y")}
        events.append(Event(row.case.pk, NotificationKind.RETENTION_DUE, row.due_on.isoformat(), message))
    return events


@transaction.atomic
def retention_extend(*, case: Case, until: datetime.date, reason: str, user, request=None) -> RetentionExtension:
    extension = RetentionExtension.objects.create(case=case, until=until, reason=reason, created_by=user)
    audit_record(
        action=AuditAction.RETENTION_EXTEND,
        actor=user,
        request=request,
        obj=case,
        case_id=case.pk,
        details={"until": until.isoformat(), "reason": reason},
    )
    return extension


def _delete_file(field) -> bool:
    if not field:
        return False
    field.storage.delete(field.name)
    return True


@transaction.atomic
def case_anonymise(*, case_id: int, now: datetime.datetime | None = None) -> bool:
    """Anonymise one closed case (and its person once all their cases are). Idempotent.

    Returns False (and changes nothing) when the case is already anonymised or under legal hold.
    Files are removed from storage after the transaction commits, so a rollback loses nothing.
    """
    now = now or timezone.now()
    case = Case.objects.select_for_update().select_related("person").get(pk=case_id)
    if case.anonymised_at is not None or case_id in held_case_ids([case_id]):
        return False
    files = []
    evidence = Evidence.objects.filter(attempt__case=case)
    for item in evidence:
        files += [item.file, item.thumbnail]
    evidence.update(file="", thumbnail="", original_name="")
    Attempt.objects.filter(case=case).update(note="", message="", url="", acknowledgement_number="")
    HarmEvent.objects.filter(case=case).update(note="")
    SelfReportLink.objects.filter(case=case).delete()
    Notification.objects.filter(case=case).delete()
    files += _litigation_files_and_text(case)
    Case.objects.filter(pk=case.pk).update(notes="", snooze_reason="", anonymised_at=now, version=case.version + 1)
    removed = sum(1 for f in files if f)
    audit_record(
        action=AuditAction.ANONYMISE,
        obj=case,
        case_id=case.pk,
        organisation=case.team.organisation,
        details={"actor_label": "retention", "evidence_files": removed, "closed_at": case.closed_at.isoformat()},
    )
    person_done = _person_anonymise_if_all_cases_are(case.person_id, now=now)
    transaction.on_commit(lambda: [_delete_file(f) for f in files])
    if person_done:
        archives = [a.file for a in PersonArchive.objects.filter(person_id=case.person_id)]
        PersonArchive.objects.filter(person_id=case.person_id).delete()
        transaction.on_commit(lambda: [_delete_file(f) for f in archives])
    return True


def _litigation_files_and_text(case) -> list:
    """Generated PDFs carry the person's identity: their files go, their rows stay; so does the
    free text and the court and Défenseur references of finished actions (none is pending here)."""
    documents = GeneratedDocument.objects.filter(case=case)
    files = [f for d in documents for f in (d.file, d.archive)]
    documents.update(file="", archive="", options={})
    LitigationAction.objects.filter(case=case).update(notes="", court_case_number="", lawyer="")
    DefenderReferral.objects.filter(case=case).update(notes="", reference="", delegate_name="")
    return files


def _person_anonymise_if_all_cases_are(person_id: int, *, now) -> bool:
    remaining = Case.objects.filter(person_id=person_id, anonymised_at__isnull=True)
    person = Person.objects.select_for_update().get(pk=person_id)
    if person.anonymised_at is not None or remaining.exists():
        return False
    Person.objects.filter(pk=person_id).update(
        last_name=ANONYMOUS_NAME,
        first_name="",
        aliases="",
        search_key="",
        birth_date=None,
        birth_place="",
        languages="",
        phone="",
        email="",
        postal_address="",
        foreigner_number="",
        situation="",
        anonymised_at=now,
        version=person.version + 1,
    )
    ResidenceDocument.objects.filter(person_id=person_id).update(number="", note="")
    audit_record(
        action=AuditAction.ANONYMISE,
        obj=person,
        organisation=person.organisation,
        details={"actor_label": "retention"},
    )
    return True


def cases_due(today: datetime.date) -> list[int]:
    return [row.case.pk for row in retention_rows(Case.objects.all(), until=today) if not row.held]


def retention_run(today: datetime.date | None = None) -> dict:
    """Anonymise every due case (one transaction each, so one failure stops nothing else)."""
    today = today or timezone.localdate()
    done, held = 0, 0
    for case_id in cases_due(today):
        done += case_anonymise(case_id=case_id)
    held = sum(1 for row in retention_rows(Case.objects.all(), until=today) if row.held)
    archives = archives_purge_expired()
    logger.info("Retention: %s case(s) anonymised, %s held, %s archive(s) purged", done, held, archives)
    return {"anonymised": done, "held": held, "archives_purged": archives}


def archives_purge_expired(now: datetime.datetime | None = None) -> int:
    """Personal data archives are kept a few days only: delete the expired ones and their files."""
    now = now or timezone.now()
    expired = list(PersonArchive.objects.filter(expires_at__lt=now))
    for archive in expired:
        file = archive.file
        with transaction.atomic():
            archive.delete()
            transaction.on_commit(lambda f=file: _delete_file(f))
    return len(expired)
