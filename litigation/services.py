"""Writes for litigation: readiness results, the policy, court actions, referrals, documents.

Freshness rule for the stored readiness (attempts sits below litigation and cannot call us):
- the case page evaluates its case live (it never shows a stale flag) and, when the live result
  differs from the stored one, enqueues `recompute_case_flags` to store it;
- litigation's own writes (policy, actions, referrals) enqueue `recompute_case_flags` (or the
  organisation's recompute for a policy change);
- the queues page first re-evaluates, set-based, the visible cases whose last check is older than
  today, than the case's `updated_at` or than its `last_attempt_at` (selectors.stale_case_ids). The
  check time is `Case.readiness_checked_at`, which `readiness_store` moves for every result it
  stores, changed or not, so the rule is one indexed condition on the case table (no join);
- the nightly `recompute_flags` re-evaluates every case.
"""

import datetime
import decimal
import time

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import AuditAction
from accounts.models import Organisation, User
from accounts.services import audit_record
from cases.models import Case
from cases.services import deadlines_recompute
from config.queues import enqueue
from litigation import tasks
from litigation.enums import ORDERING_OUTCOMES, DocumentStatus
from litigation.models import (
    DefenderReferral,
    GeneratedDocument,
    LitigationAction,
    ReadinessEvaluation,
    ReadinessPolicy,
)
from litigation.readiness import Evaluation, readiness_evaluate_many

POLICY_COPY_EXCLUDE = {"id", "organisation", "version", "is_current", "change_note", "created_by", "created_at"}


class StaleVersionError(Exception):
    """Someone else saved the record since the form was opened; `changes` lists what differs."""

    def __init__(self, message: str, changes: list[tuple[str, str]]):
        super().__init__(message)
        self.changes = changes


# --- readiness ---------------------------------------------------------------------------------


@transaction.atomic
def readiness_store(results: dict[int, Evaluation], *, now: datetime.datetime | None = None) -> int:
    """Store evaluations: Case.readiness/readiness_since, Case.readiness_checked_at for every result
    (changed or not), and a ReadinessEvaluation per change.

    `now` is when the evaluation read its inputs (callers pass the time taken before evaluating),
    so a change written while it ran is newer than the check and leaves the case stale.
    Set-based: at most six statements whatever the number of results. Returns how many changed.
    """
    now = now or timezone.now()
    latest = {
        row["case_id"]: row
        for row in ReadinessEvaluation.objects.filter(case_id__in=list(results), is_latest=True)
        .order_by()
        .values("id", "case_id", "fingerprint")
    }
    replaced, new_rows = [], []
    for case_id, result in results.items():
        previous = latest.get(case_id)
        fingerprint = result.fingerprint
        if previous and previous["fingerprint"] == fingerprint:
            continue
        if previous:
            replaced.append(previous["id"])
        new_rows.append(
            ReadinessEvaluation(
                case_id=case_id,
                policy_id=result.policy_id,
                status=result.status,
                ready_since=result.ready_since,
                conditions=result.conditions_json(),
                fingerprint=fingerprint,
                evaluated_at=now,
            )
        )
    if replaced:
        ReadinessEvaluation.objects.filter(id__in=replaced).update(is_latest=False)
    ReadinessEvaluation.objects.bulk_create(new_rows, batch_size=2000)
    # update() and bulk_update() leave `updated_at` alone: storing a check must not make the case
    # look changed after it (it would be stale again at once).
    Case.objects.filter(pk__in=list(results)).update(readiness_checked_at=now)
    stored = Case.objects.filter(pk__in=list(results)).values_list("pk", "readiness", "readiness_since")
    to_update = []
    for pk, readiness, since in stored:
        result = results[pk]
        if (readiness, since) != (result.status, result.ready_since):
            to_update.append(Case(pk=pk, readiness=result.status, readiness_since=result.ready_since))
    Case.objects.bulk_update(to_update, ["readiness", "readiness_since"], batch_size=2000)
    return len(new_rows)


def readiness_refresh_many(case_ids, *, today: datetime.date | None = None) -> int:
    started = timezone.now()
    return readiness_store(readiness_evaluate_many(list(case_ids), today=today), now=started)


def readiness_refresh_organisation(organisation_id: int, *, chunk_size: int = 5000) -> int:
    ids = list(
        Case.objects.filter(team__organisation_id=organisation_id, deleted_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(readiness_refresh_many(ids[i : i + chunk_size]) for i in range(0, len(ids), chunk_size))


def flags_recompute_all(*, today: datetime.date | None = None, chunk_size: int = 5000) -> dict:
    """Nightly: every case's deadlines (cases' engine), then every case's readiness, set-based.

    Deadlines first: urgency feeds the queues' order. Chunks of a few thousand ids bound memory;
    each chunk costs a fixed number of queries (see readiness_evaluate_many, readiness_store).
    """
    started = time.monotonic()
    deadlines_changed = deadlines_recompute(case_ids=None, today=today, chunk_size=chunk_size)
    deadlines_seconds = time.monotonic() - started
    ids = list(Case.objects.filter(deleted_at__isnull=True).order_by("pk").values_list("pk", flat=True))
    changed = sum(readiness_refresh_many(ids[i : i + chunk_size], today=today) for i in range(0, len(ids), chunk_size))
    return {
        "cases": len(ids),
        "deadlines_changed": deadlines_changed,
        "readiness_changed": changed,
        "deadlines_seconds": deadlines_seconds,
        "seconds": time.monotonic() - started,
    }


def case_readiness_refresh(case_id: int) -> Evaluation | None:
    """Re-evaluate one case now and store the result. None when the case no longer exists."""
    started = timezone.now()
    results = readiness_evaluate_many([case_id])
    if case_id not in results:
        return None
    readiness_store(results, now=started)
    return results[case_id]


# --- policy ------------------------------------------------------------------------------------


@transaction.atomic
def policy_update(
    *, organisation: Organisation, based_on: ReadinessPolicy, data: dict, change_note: str, user: User, request=None
) -> ReadinessPolicy:
    """Save a new version of the organisation's policy; the previous one stays for the record.

    `based_on` is the version the form was opened on: if another admin saved since, refuse.
    """
    current = ReadinessPolicy.objects.select_for_update().filter(is_current=True)
    own = current.filter(organisation=organisation).first()
    effective = own or current.get(organisation__isnull=True)
    if effective.pk != based_on.pk:
        changes = [
            (str(ReadinessPolicy._meta.get_field(name).verbose_name), str(getattr(effective, name)))
            for name in data
            if getattr(effective, name) != data[name]
        ]
        raise StaleVersionError(
            _("La règle a été modifiée entre-temps (version %(version)s). Vérifiez les valeurs actuelles.")
            % {"version": effective.version},
            changes,
        )
    top = ReadinessPolicy.objects.aggregate(top=Max("version"))["top"] or 0
    values = {f.name: getattr(effective, f.name) for f in ReadinessPolicy._meta.concrete_fields}
    values = {k: v for k, v in values.items() if k not in POLICY_COPY_EXCLUDE}
    values.update(data)
    if own:
        own.is_current = False
        own.save(update_fields=["is_current"])
    policy = ReadinessPolicy.objects.create(
        organisation=organisation,
        version=top + 1,
        is_current=True,
        change_note=change_note,
        created_by=user,
        **values,
    )
    audit_record(
        action=AuditAction.SETTINGS_CHANGE,
        actor=user,
        request=request,
        obj=policy,
        organisation=organisation,
        details={
            "readiness_policy_version": policy.version,
            "previous_version": effective.version,
            "changes": {k: _json(v) for k, v in data.items() if getattr(effective, k) != v},
        },
    )
    enqueue(tasks.recompute_organisation_flags, organisation.pk, queue="maintenance")
    return policy


# --- court actions and referrals ----------------------------------------------------------------


def _json(value):
    if isinstance(value, datetime.date | decimal.Decimal):
        return str(value)
    return value


def _display(obj, name):
    value = getattr(obj, name)
    display = getattr(obj, f"get_{name}_display", None)
    if display is not None:
        return str(display())
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return "—" if value in (None, "") else str(value)


def _apply(obj, *, data: dict, expected_version: int | None, user: User) -> dict:
    """Optimistic locking: refuse a stale version, naming the fields someone else changed."""
    if expected_version is not None and obj.version != expected_version:
        changes = [
            (str(obj._meta.get_field(name).verbose_name), _display(obj, name))
            for name in data
            if getattr(obj, name) != data[name]
        ]
        who = obj.updated_by or obj.created_by
        raise StaleVersionError(
            _("%(who)s a modifié cette fiche pendant votre saisie. Valeurs enregistrées :")
            % {"who": who or _("Quelqu'un")},
            changes,
        )
    changed = {k: [_json(getattr(obj, k)), _json(v)] for k, v in data.items() if getattr(obj, k) != v}
    for name, value in data.items():
        setattr(obj, name, value)
    obj.updated_by = user
    return changed


def _execution_due(action: LitigationAction) -> datetime.date | None:
    """The day after which a favourable order counts as not executed."""
    if action.order_on is None or action.outcome not in ORDERING_OUTCOMES:
        return None
    days = action.ordered_appointment_within_days or action.ordered_held_within_days
    return action.order_on + datetime.timedelta(days=days) if days else None


@transaction.atomic
def litigation_action_create(*, case: Case, data: dict, user: User, request=None) -> LitigationAction:
    action = LitigationAction(case=case, created_by=user, updated_by=user, **data)
    if not action.court:
        action.court = case.prefecture.tribunal_administratif
    action.execution_due_on = _execution_due(action)
    action.save()
    audit_record(
        action=AuditAction.CASE_UPDATE,
        actor=user,
        request=request,
        obj=action,
        case_id=case.pk,
        details={"litigation_action": "create", "kind": action.kind},
    )
    enqueue(tasks.recompute_case_flags, case.pk)
    return action


@transaction.atomic
def litigation_action_update(
    *, action: LitigationAction, data: dict, expected_version: int, user: User, request=None
) -> LitigationAction:
    action = LitigationAction.objects.select_for_update().get(pk=action.pk)
    changed = _apply(action, data=data, expected_version=expected_version, user=user)
    action.execution_due_on = _execution_due(action)
    action.version += 1
    action.save()
    audit_record(
        action=AuditAction.CASE_UPDATE,
        actor=user,
        request=request,
        obj=action,
        case_id=action.case_id,
        details={"litigation_action": "update", "changes": changed},
    )
    enqueue(tasks.recompute_case_flags, action.case_id)
    return action


@transaction.atomic
def defender_referral_create(*, case: Case, data: dict, user: User, request=None) -> DefenderReferral:
    referral = DefenderReferral.objects.create(case=case, created_by=user, updated_by=user, **data)
    audit_record(
        action=AuditAction.CASE_UPDATE,
        actor=user,
        request=request,
        obj=referral,
        case_id=case.pk,
        details={"defender_referral": "create", "channel": referral.channel},
    )
    enqueue(tasks.recompute_case_flags, case.pk)
    return referral


@transaction.atomic
def defender_referral_update(
    *, referral: DefenderReferral, data: dict, expected_version: int, user: User, request=None
) -> DefenderReferral:
    referral = DefenderReferral.objects.select_for_update().get(pk=referral.pk)
    changed = _apply(referral, data=data, expected_version=expected_version, user=user)
    referral.version += 1
    referral.save()
    audit_record(
        action=AuditAction.CASE_UPDATE,
        actor=user,
        request=request,
        obj=referral,
        case_id=referral.case_id,
        details={"defender_referral": "update", "changes": changed},
    )
    enqueue(tasks.recompute_case_flags, referral.case_id)
    return referral


# --- documents ---------------------------------------------------------------------------------


@transaction.atomic
def document_request(*, case: Case, kind: str, options: dict, user: User, request=None) -> GeneratedDocument:
    """Record the request and hand the build to the "documents" queue (the page polls its status)."""
    document = GeneratedDocument.objects.create(case=case, kind=kind, options=options, created_by=user)
    audit_record(
        action=AuditAction.DOCUMENT_GENERATE,
        actor=user,
        request=request,
        obj=document,
        case_id=case.pk,
        details={"kind": kind, "step": "requested"},
    )
    enqueue(tasks.document_build_job, document.pk, queue="documents")
    return document


@transaction.atomic
def document_retry(*, document: GeneratedDocument, user: User, request=None) -> GeneratedDocument:
    document = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
    document.status = DocumentStatus.PENDING
    document.error = ""
    document.started_at = None
    document.save(update_fields=["status", "error", "started_at"])
    audit_record(
        action=AuditAction.DOCUMENT_GENERATE,
        actor=user,
        request=request,
        obj=document,
        case_id=document.case_id,
        details={"kind": document.kind, "step": "retry"},
    )
    enqueue(tasks.document_build_job, document.pk, queue="documents")
    return document


def document_download_record(*, document: GeneratedDocument, user: User, part: str, request=None) -> None:
    audit_record(
        action=AuditAction.DOCUMENT_DOWNLOAD,
        actor=user,
        request=request,
        obj=document,
        case_id=document.case_id,
        details={"kind": document.kind, "part": part, "sha256": document.sha256},
    )
