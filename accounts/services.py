"""Writes for accounts: users, memberships and the audit journal."""

from django.db import transaction

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent, Membership, Organisation, Team, User


def client_ip(request) -> str | None:
    # Behind a reverse proxy, configure it to set REMOTE_ADDR (gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR") if request is not None else None


def audit_record(
    *,
    action: str,
    actor: User | None = None,
    request=None,
    obj=None,
    case_id: int | None = None,
    organisation: Organisation | None = None,
    details: dict | None = None,
) -> AuditEvent:
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if organisation is None and actor is not None:
        organisation = actor.organisation
    return AuditEvent.objects.create(
        organisation=organisation,
        actor=actor,
        actor_label=(actor.email if actor else (details or {}).get("actor_label", "")),
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        case_id=case_id,
        ip_address=client_ip(request),
        details=details or {},
    )


@transaction.atomic
def user_create(
    *,
    organisation: Organisation,
    email: str,
    first_name: str,
    last_name: str,
    team: Team,
    role: str = Role.CASEWORKER,
    password: str | None = None,
    created_by: User | None = None,
    request=None,
) -> User:
    user = User.objects.create_user(
        email=email, password=password, first_name=first_name, last_name=last_name, organisation=organisation
    )
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.create(user=user, team=team, role=role)
    audit_record(
        action=AuditAction.USER_CREATE,
        actor=created_by,
        request=request,
        obj=user,
        organisation=organisation,
        details={"email": user.email, "team": team.name, "role": role},
    )
    return user


@transaction.atomic
def membership_set(*, user: User, team: Team, role: str | None, changed_by: User, request=None) -> None:
    """Give `user` the `role` in `team`, or remove them from it when role is None."""
    if team.organisation_id != user.organisation_id:
        raise ValueError("A user can only join teams of their own organisation.")
    before = Membership.objects.filter(user=user, team=team).values_list("role", flat=True).first()
    if role is None:
        Membership.objects.filter(user=user, team=team).delete()
    else:
        Membership.objects.update_or_create(user=user, team=team, defaults={"role": role})
    if before != role:
        audit_record(
            action=AuditAction.PERMISSION_CHANGE,
            actor=changed_by,
            request=request,
            obj=user,
            details={"team": team.name, "before": before, "after": role},
        )


@transaction.atomic
def user_set_active(*, user: User, active: bool, changed_by: User, request=None) -> None:
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            action=AuditAction.PERMISSION_CHANGE,
            actor=changed_by,
            request=request,
            obj=user,
            details={"active": active},
        )


@transaction.atomic
def organisation_security_update(
    *, organisation: Organisation, require_2fa_for_all: bool, changed_by: User, request=None
) -> None:
    if organisation.require_2fa_for_all != require_2fa_for_all:
        organisation.require_2fa_for_all = require_2fa_for_all
        organisation.save(update_fields=["require_2fa_for_all"])
        audit_record(
            action=AuditAction.SETTINGS_CHANGE,
            actor=changed_by,
            request=request,
            obj=organisation,
            details={"require_2fa_for_all": require_2fa_for_all},
        )
