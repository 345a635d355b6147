"""Login lockout (django-axes) seen from an organisation: which accounts are locked, unlock."""

import datetime
from dataclasses import dataclass

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.models import Organisation, User
from accounts.services import audit_record


def axes_username(request, credentials) -> str | None:
    """AXES_USERNAME_CALLABLE: emails are case-insensitive, so lockouts must be too
    (otherwise "Alice@x" and "alice@x" would each get their own allowance of guesses)."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = getattr(request, "POST", {}).get("username")
    return username.strip().lower() if username else None


@dataclass(frozen=True)
class LockedAccount:
    user: User
    failures: int
    last_attempt_at: datetime.datetime


def _cooloff() -> datetime.timedelta:
    cooloff = settings.AXES_COOLOFF_TIME
    return cooloff if isinstance(cooloff, datetime.timedelta) else datetime.timedelta(hours=cooloff)


def locked_accounts(organisation: Organisation) -> list[LockedAccount]:
    """Accounts of the organisation locked out from at least one address (two queries)."""
    since = timezone.now() - _cooloff()
    rows = (
        AccessAttempt.objects.filter(
            attempt_time__gte=since, failures_since_start__gte=settings.AXES_FAILURE_LIMIT, username__isnull=False
        )
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    )
    by_username = {row["username"]: row for row in rows}
    users = User.objects.filter(organisation=organisation, email__in=list(by_username)).order_by("email")
    return [
        LockedAccount(
            user=user, failures=by_username[user.email]["failures"], last_attempt_at=by_username[user.email]["last"]
        )
        for user in users
    ]


@transaction.atomic
def account_unlock(*, user: User, request) -> int:
    """Forget the failed attempts of `user` from every address; returns how many were removed."""
    removed = reset(username=user.email)
    audit_record(
        action=AuditAction.ACCOUNT_UNLOCK,
        request=request,
        obj=user,
        organisation=user.organisation,
        details={"email": user.email, "attempts_removed": removed},
    )
    return removed
