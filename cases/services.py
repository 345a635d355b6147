"""Writes for cases: people, cases, documents, harms, status, deadlines. Every write is audited."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.models import Team, User
from accounts.services import audit_record
from cases.deadlines import deadline_for
from cases.enums import CaseStatus
from cases.locking import apply_changes, check_version
from cases.models import Case, DeadlineRule, HarmEvent, Person, Prefecture, ResidenceDocument
from cases.names import search_key
from cases.workflow import can_transition

# Case fields whose change moves the deadlines.
DEADLINE_INPUTS = {"procedure", "uses_anef", "filing_date", "entry_date", "status"}
RECOMPUTE_CHUNK = 1000
UPDATE_IDS = 900  # ids per UPDATE, below SQLite's bound-variable limit


class TransitionError(ValueError):
    pass


# --- deadlines -------------------------------------------------------------------------------


def rules_in_force(today: datetime.date | None = None) -> list[DeadlineRule]:
    return DeadlineRule.objects.in_force(today or timezone.localdate())


def deadlines_recompute(case_ids=None, *, today: datetime.date | None = None, chunk_size: int = RECOMPUTE_CHUNK) -> int:
    """Recompute the stored next deadline and urgency of many cases; returns how many changed.

    Rules are loaded once; each chunk of cases costs one query for the cases and people and one
    for their documents. Changed rows are then written with one UPDATE per distinct
    (date, label, urgency) value, not per case: many cases share a deadline, and this measured
    about ten times faster than `bulk_update`'s CASE WHEN statements on SQLite (5,000 cases:
    1.6 s against 17 s). Safe to run twice.
    """
    today = today or timezone.localdate()
    rules = rules_in_force(today)
    base = Case.objects.filter(deleted_at__isnull=True)
    if case_ids is not None:
        base = base.filter(pk__in=list(case_ids))
    ids = list(base.order_by("pk").values_list("pk", flat=True))
    changes: dict[tuple, list[int]] = defaultdict(list)
    for start in range(0, len(ids), chunk_size):
        chunk = (
            Case.objects.filter(pk__in=ids[start : start + chunk_size])
            .select_related("person")
            .prefetch_related("person__documents")
            .only(
                "pk",
                "person",
                "procedure",
                "uses_anef",
                "status",
                "filing_date",
                "entry_date",
                "next_deadline_date",
                "next_deadline_label",
                "urgency",
                "person__birth_date",
            )
        )
        for case in chunk:
            result = deadline_for(case, rules, today)
            if (case.next_deadline_date, case.next_deadline_label, case.urgency) != (
                result.date,
                result.label,
                result.urgency,
            ):
                changes[(result.date, result.label, result.urgency)].append(case.pk)
    for (date, label, urgency), pks in changes.items():
        for start in range(0, len(pks), UPDATE_IDS):
            Case.objects.filter(pk__in=pks[start : start + UPDATE_IDS]).update(
                next_deadline_date=date, next_deadline_label=label, urgency=urgency
            )
    return sum(len(pks) for pks in changes.values())


def _refresh_person_cases(person_id: int) -> None:
    deadlines_recompute(Case.objects.filter(person_id=person_id).values_list("pk", flat=True))


@transaction.atomic
def deadline_rule_revise(*, rule: DeadlineRule, changes: dict, by: User | None, request=None) -> DeadlineRule:
    """A changed rule is a new version row; the previous one stays as it was (traceability)."""
    latest = DeadlineRule.objects.filter(code=rule.code).order_by("-version").first()
    new = DeadlineRule.objects.get(pk=rule.pk)
    before = {name: str(getattr(new, name)) for name in changes}
    for name, value in changes.items():
        setattr(new, name, value)
    new.pk = None
    new.version = latest.version + 1
    new.created_by = by
    new.save()
    audit_record(
        action=AuditAction.SETTINGS_CHANGE,
        actor=by,
        request=request,
        obj=new,
        details={"rule": new.code, "version": new.version, "before": before},
    )
    return new


# --- people ----------------------------------------------------------------------------------


def _set_search_key(person: Person) -> None:
    person.search_key = search_key(person.last_name, person.first_name, person.aliases)


@transaction.atomic
def person_create(*, team: Team, last_name: str, by: User, request=None, **fields) -> Person:
    person = Person(organisation_id=team.organisation_id, team=team, last_name=last_name.strip(), **fields)
    if person.consent_at and person.consent_recorded_by_id is None:
        person.consent_recorded_by = by
    _set_search_key(person)
    person.full_clean()
    person.save()
    audit_record(action=AuditAction.PERSON_CREATE, actor=by, request=request, obj=person)
    return person


@transaction.atomic
def person_update(*, person: Person, changes: dict, version: int, by: User, request=None) -> Person:
    current = Person.objects.select_for_update().get(pk=person.pk)
    check_version(current, version=version, changes=changes)
    if changes.get("consent_at") and changes.get("consent_at") != current.consent_at:
        current.consent_recorded_by = by
    audit = apply_changes(current, changes)
    if not audit:
        return current
    _set_search_key(current)
    current.version += 1
    current.full_clean()
    current.save()
    audit_record(action=AuditAction.PERSON_UPDATE, actor=by, request=request, obj=current, details=audit)
    for case_id in current.cases.values_list("pk", flat=True):
        audit_record(action=AuditAction.PERSON_UPDATE, actor=by, request=request, obj=current, case_id=case_id)
    if "birth_date" in audit:
        _refresh_person_cases(current.pk)
    return current


@transaction.atomic
def person_merge(*, keep: Person, remove: Person, by: User, request=None) -> Person:
    """Fold `remove` into `keep`: every row pointing at `remove` moves, nothing is deleted.

    Relations are found through the model's metadata, so rows of higher apps that point at a
    person move too without this app importing them. `remove` is soft-deleted and remembers
    where it went; its names become aliases of `keep`; empty fields of `keep` are filled.
    """
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    remove = Person.objects.select_for_update().get(pk=remove.pk)
    if keep.pk == remove.pk or keep.organisation_id != remove.organisation_id:
        raise ValueError("Only two different people of one organisation can be merged.")
    if keep.deleted_at or remove.deleted_at:
        raise ValueError("A deleted person cannot be merged.")
    moved = {}
    for relation in Person._meta.related_objects:
        if not relation.one_to_many:
            continue
        manager = relation.related_model._base_manager
        count = manager.filter(**{relation.field.name: remove}).update(**{relation.field.name: keep})
        if count:
            moved[relation.related_model._meta.label] = count
    filled, kept_values = {}, {}
    for field in Person._meta.concrete_fields:
        if not field.editable or field.name in {"id", "organisation", "team", "last_name", "first_name", "aliases"}:
            continue
        ours, theirs = getattr(keep, field.attname), getattr(remove, field.attname)
        if theirs in (None, "", False):
            continue
        if ours in (None, "", False):
            setattr(keep, field.attname, theirs)
            filled[field.name] = str(theirs)
        elif ours != theirs:
            kept_values[field.name] = {"kept": str(ours), "dropped": str(theirs)}
    alias_lines = [line for line in keep.aliases.splitlines() if line.strip()]
    for line in [f"{remove.last_name} {remove.first_name}".strip(), *remove.aliases.splitlines()]:
        if line.strip() and line.strip() not in alias_lines:
            alias_lines.append(line.strip())
    keep.aliases = "\n".join(alias_lines)
    _set_search_key(keep)
    keep.version += 1
    keep.save()
    remove.deleted_at = timezone.now()
    remove.merged_into = keep
    remove.version += 1
    remove.save(update_fields=["deleted_at", "merged_into", "version", "updated_at"])
    details = {"kept": keep.pk, "removed": remove.pk, "moved": moved, "filled": filled, "conflicts": kept_values}
    audit_record(action=AuditAction.PERSON_MERGE, actor=by, request=request, obj=keep, details=details)
    for case_id in keep.cases.values_list("pk", flat=True):
        audit_record(
            action=AuditAction.PERSON_MERGE, actor=by, request=request, obj=keep, case_id=case_id, details=details
        )
    _refresh_person_cases(keep.pk)
    return keep


# --- cases -----------------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    person: Person,
    team: Team,
    procedure: str,
    prefecture: Prefecture,
    by: User,
    assignee: User | None = None,
    uses_anef: bool = False,
    entry_date: datetime.date | None = None,
    filing_date: datetime.date | None = None,
    document: dict | None = None,
    request=None,
) -> Case:
    """Open a case for `person`, with the person's current document if given."""
    if team.organisation_id != person.organisation_id:
        raise ValueError("The case's team and the person belong to different organisations.")
    case = Case.objects.create(
        person=person,
        team=team,
        procedure=procedure,
        prefecture=prefecture,
        assignee=assignee,
        uses_anef=uses_anef,
        entry_date=entry_date,
        filing_date=filing_date,
        created_by=by,
    )
    if document:
        doc = ResidenceDocument(person=person, **document)
        doc.full_clean()
        doc.save()
    audit_record(
        action=AuditAction.CASE_CREATE,
        actor=by,
        request=request,
        obj=case,
        case_id=case.pk,
        details={"procedure": procedure, "prefecture": prefecture.code, "team": team.name},
    )
    deadlines_recompute([case.pk])
    case.refresh_from_db()
    return case


@transaction.atomic
def case_update(*, case: Case, changes: dict, version: int, by: User, request=None) -> Case:
    """Edit a case's own fields; refused (StaleVersionError) if someone saved in between."""
    if "status" in changes:
        raise ValueError("Status changes go through case_change_status.")
    current = Case.objects.select_for_update().get(pk=case.pk)
    check_version(current, version=version, changes=changes)
    audit = apply_changes(current, changes)
    if not audit:
        return current
    current.version += 1
    current.save()
    audit_record(
        action=AuditAction.CASE_UPDATE, actor=by, request=request, obj=current, case_id=current.pk, details=audit
    )
    if DEADLINE_INPUTS & set(audit):
        deadlines_recompute([current.pk])
        current.refresh_from_db()
    return current


@transaction.atomic
def case_change_status(*, case: Case, status: str, by: User, version: int | None = None, request=None) -> Case:
    current = Case.objects.select_for_update().get(pk=case.pk)
    if version is not None:
        check_version(current, version=version, changes={"status": status})
    if not can_transition(current.status, status):
        raise TransitionError(status)
    before = current.get_status_display()
    current.status = status
    current.closed_at = timezone.now() if status == CaseStatus.CLOSED else None
    current.version += 1
    current.save()
    audit_record(
        action=AuditAction.CASE_UPDATE,
        actor=by,
        request=request,
        obj=current,
        case_id=current.pk,
        details={"status": [before, current.get_status_display()]},
    )
    deadlines_recompute([current.pk])
    current.refresh_from_db()
    return current


# --- documents and harms ---------------------------------------------------------------------


@transaction.atomic
def document_save(
    *, case: Case, fields: dict, by: User, document: ResidenceDocument | None = None, request=None
) -> ResidenceDocument:
    """Add (or correct) a residence document of the case's person; the person's cases are recomputed."""
    created = document is None
    document = document or ResidenceDocument(person_id=case.person_id)
    audit = {}
    for name, value in fields.items():
        if getattr(document, name) != value:
            audit[name] = [str(getattr(document, name) or ""), str(value or "")]
            setattr(document, name, value)
    document.full_clean()
    document.save()
    audit_record(
        action=AuditAction.CASE_UPDATE,
        actor=by,
        request=request,
        obj=document,
        case_id=case.pk,
        details={"document": document.get_kind_display(), "created": created, "changes": audit},
    )
    _refresh_person_cases(case.person_id)
    return document


@transaction.atomic
def harm_add(*, case: Case, kind: str, occurred_on: datetime.date, note: str = "", by: User, request=None) -> HarmEvent:
    harm = HarmEvent(case=case, kind=kind, occurred_on=occurred_on, note=note, recorded_by=by)
    harm.full_clean()
    harm.save()
    audit_record(
        action=AuditAction.CASE_UPDATE,
        actor=by,
        request=request,
        obj=harm,
        case_id=case.pk,
        details={"harm": harm.get_kind_display(), "on": occurred_on.isoformat()},
    )
    return harm
