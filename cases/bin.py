"""The bin: deleting a person or a case is soft, restorable by admins for 30 days, then purged.

Deleting only sets `deleted_at`; the scoping rule (`visible_to`) already hides such rows
everywhere. The bin pages are the one place that reads deleted rows, for org admins only,
through `deleted_cases` / `deleted_people` (scoped to the admin's organisation).

`purge_deleted(older_than_days=30)` is the hard delete, called by the nightly retention job
(`purge_expired`). Rows of higher apps that point at a case (attempts, evidence...) go with
it through their CASCADE foreign keys, and the files of every FileField among the deleted
rows are removed from storage once the transaction commits, so no screenshot of a purged
case stays on disk. A row protected by a PROTECT foreign key (e.g. a pending court action)
is kept and reported, never forced.

Persons folded into another by a merge are soft-deleted too, but they are merge records,
not bin entries: they are neither listed, restored nor purged here.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.db import models, router, transaction
from django.db.models import ProtectedError
from django.db.models.deletion import Collector
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.models import AuditEvent, User
from accounts.services import audit_record
from cases.models import Case, Person

logger = logging.getLogger(__name__)

RESTORE_DAYS = 30


class BinError(Exception):
    """A bin operation that is refused, with a message for the user."""


# --- reads --------------------------------------------------------------------------------------


def deleted_cases(user: User):
    """Deleted cases of the admin's organisation whose person is still there (else: see the person)."""
    if not user.is_authenticated or user.organisation_id is None or not user.is_org_admin:
        return Case.objects.none()
    return (
        Case.objects.filter(team__organisation_id=user.organisation_id, deleted_at__isnull=False)
        .select_related("person", "team", "prefecture")
        .order_by("-deleted_at", "-id")
    )


def deleted_people(user: User):
    if not user.is_authenticated or user.organisation_id is None or not user.is_org_admin:
        return Person.objects.none()
    return Person.objects.filter(
        organisation_id=user.organisation_id, deleted_at__isnull=False, merged_into__isnull=True
    ).order_by("-deleted_at", "-id")


def restorable_until(deleted_at: datetime.datetime) -> datetime.datetime:
    return deleted_at + datetime.timedelta(days=RESTORE_DAYS)


@dataclass
class BinEntry:
    obj: object
    kind: str  # "case" | "person"
    deleted_by: str = ""
    reason: str = ""
    restorable: bool = True
    until: datetime.datetime | None = None
    case_count: int = 0


def bin_entries(user: User) -> tuple[list[BinEntry], list[BinEntry]]:
    """People and cases in the bin with who deleted them and why (a constant number of queries)."""
    now = timezone.now()
    people = list(deleted_people(user).annotate(case_count=models.Count("cases")))
    cases = [
        case
        for case in deleted_cases(user)
        if case.person.deleted_at is None or case.deleted_at != case.person.deleted_at
    ]
    events = _deletion_events(user, people, cases)
    person_entries = [
        _entry(person, "person", events.get(("person", person.pk)), now, case_count=person.case_count)
        for person in people
    ]
    case_entries = [_entry(case, "case", events.get(("case", case.pk)), now) for case in cases]
    return person_entries, case_entries


def _deletion_events(user, people, cases) -> dict:
    """The latest deletion event of each entry, read from the audit journal (one query)."""
    if not people and not cases:
        return {}
    rows = (
        AuditEvent.objects.filter(
            organisation_id=user.organisation_id,
            action__in=[AuditAction.PERSON_DELETE, AuditAction.CASE_DELETE],
        )
        .filter(
            models.Q(object_type=Person._meta.label, object_id__in=[str(p.pk) for p in people])
            | models.Q(object_type=Case._meta.label, object_id__in=[str(c.pk) for c in cases])
        )
        .order_by("at", "id")
    )
    latest = {}
    for event in rows:
        kind = "person" if event.object_type == Person._meta.label else "case"
        latest[(kind, int(event.object_id))] = event
    return latest


def _entry(obj, kind, event, now, case_count=0) -> BinEntry:
    until = restorable_until(obj.deleted_at)
    return BinEntry(
        obj=obj,
        kind=kind,
        deleted_by=event.actor_label if event else "",
        reason=(event.details or {}).get("reason", "") if event else "",
        restorable=now <= until,
        until=until,
        case_count=case_count,
    )


# --- writes -------------------------------------------------------------------------------------


@transaction.atomic
def case_delete(*, case: Case, by: User, reason: str, request=None) -> Case:
    """Move a case to the bin (coordinators and admins; the view checks the role and scope)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.deleted_at is not None:
        raise BinError("already deleted")
    case.deleted_at = timezone.now()
    case.version += 1
    case.save(update_fields=["deleted_at", "version", "updated_at"])
    audit_record(
        action=AuditAction.CASE_DELETE, actor=by, request=request, obj=case, case_id=case.pk, details={"reason": reason}
    )
    return case


@transaction.atomic
def person_delete(*, person: Person, by: User, reason: str, request=None) -> Person:
    """Move a person and all their cases to the bin, with one timestamp (restored together)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.deleted_at is not None:
        raise BinError("already deleted")
    now = timezone.now()
    case_ids = list(Case.objects.filter(person=person, deleted_at__isnull=True).values_list("pk", flat=True))
    Case.objects.filter(pk__in=case_ids).update(deleted_at=now, version=models.F("version") + 1, updated_at=now)
    person.deleted_at = now
    person.version += 1
    person.save(update_fields=["deleted_at", "version", "updated_at"])
    details = {"reason": reason, "cases": case_ids}
    audit_record(action=AuditAction.PERSON_DELETE, actor=by, request=request, obj=person, details=details)
    for case_id in case_ids:
        audit_record(
            action=AuditAction.CASE_DELETE,
            actor=by,
            request=request,
            obj=Case(pk=case_id),
            case_id=case_id,
            details={"reason": reason, "with_person": person.pk},
        )
    return person


def _check_restorable(obj) -> None:
    if timezone.now() > restorable_until(obj.deleted_at):
        raise BinError("too late")


@transaction.atomic
def case_restore(*, case: Case, by: User, request=None) -> Case:
    case = Case.objects.select_for_update().select_related("person").get(pk=case.pk)
    if case.deleted_at is None:
        return case
    _check_restorable(case)
    if case.person.deleted_at is not None:
        raise BinError("person deleted")
    case.deleted_at = None
    case.version += 1
    case.save(update_fields=["deleted_at", "version", "updated_at"])
    audit_record(action=AuditAction.RESTORE, actor=by, request=request, obj=case, case_id=case.pk)
    return case


@transaction.atomic
def person_restore(*, person: Person, by: User, request=None) -> Person:
    """Restore a person and the cases that were deleted with them (same timestamp)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.deleted_at is None:
        return person
    _check_restorable(person)
    deleted_at = person.deleted_at
    case_ids = list(Case.objects.filter(person=person, deleted_at=deleted_at).values_list("pk", flat=True))
    Case.objects.filter(pk__in=case_ids).update(
        deleted_at=None, version=models.F("version") + 1, updated_at=timezone.now()
    )
    person.deleted_at = None
    person.version += 1
    person.save(update_fields=["deleted_at", "version", "updated_at"])
    audit_record(action=AuditAction.RESTORE, actor=by, request=request, obj=person, details={"cases": case_ids})
    for case_id in case_ids:
        audit_record(action=AuditAction.RESTORE, actor=by, request=request, obj=Case(pk=case_id), case_id=case_id)
    return person


# --- purge (the retention job) ------------------------------------------------------------------


@dataclass
class PurgeReport:
    cases: list[int] = field(default_factory=list)
    people: list[int] = field(default_factory=list)
    files: int = 0
    kept: list[str] = field(default_factory=list)  # "Case 12: protected by ..." (never forced)


def _file_names(objs) -> list[tuple[object, str]]:
    """(storage, name) of every file held by the rows a delete of `objs` would remove."""
    collector = Collector(using=router.db_for_write(type(objs[0])))
    collector.collect(objs)
    instances = [obj for model_objs in collector.data.values() for obj in model_objs]
    for qs in collector.fast_deletes:
        instances.extend(qs)
    names = []
    for obj in instances:
        for model_field in obj._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                value = getattr(obj, model_field.attname)
                if value:
                    names.append((model_field.storage, str(value)))
    return names


def _hard_delete(obj, report: PurgeReport) -> bool:
    try:
        with transaction.atomic():
            names = _file_names([obj])
            obj.delete()
    except ProtectedError as error:
        blockers = sorted({type(o)._meta.label for o in error.protected_objects})
        report.kept.append(f"{obj._meta.label} {obj.pk}: {', '.join(blockers)}")
        return False
    transaction.on_commit(lambda: _delete_files(names))
    report.files += len(names)
    return True


def _delete_files(names) -> None:
    for storage, name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("purge: could not delete a stored file of a purged row", exc_info=True)


def purge_deleted(*, older_than_days: int = RESTORE_DAYS, now: datetime.datetime | None = None) -> PurgeReport:
    """Hard-delete bin entries deleted more than `older_than_days` ago (safe to run twice).

    Cases first, then people with no case left. Each row is deleted in its own savepoint so
    that one protected row does not stop the others. Audited per organisation.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=older_than_days)
    report = PurgeReport()
    with transaction.atomic():
        for case in Case.objects.filter(deleted_at__lt=cutoff).select_related("team").order_by("pk"):
            pk, organisation = case.pk, case.team.organisation
            if _hard_delete(case, report):
                report.cases.append(pk)
                audit_record(action=AuditAction.PURGE, organisation=organisation, case_id=pk, details={"case": pk})
        people = Person.objects.filter(deleted_at__lt=cutoff, merged_into__isnull=True).select_related("organisation")
        for person in people.order_by("pk"):
            if Case.objects.filter(person=person).exists():
                report.kept.append(f"{Person._meta.label} {person.pk}: cases.Case")
                continue
            pk, organisation = person.pk, person.organisation
            if _hard_delete(person, report):
                report.people.append(pk)
                audit_record(action=AuditAction.PURGE, organisation=organisation, details={"person": pk})
    return report
