"""Login, logout and failed-login events go to the audit journal."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.enums import AuditAction
from accounts.models import User
from accounts.services import audit_record


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    audit_record(action=AuditAction.LOGIN, actor=user, request=request, obj=user)


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=AuditAction.LOGOUT, actor=user, request=request, obj=user)


def _organisation_of(email):
    """The organisation of the account an attempt targeted, so its admins see the attempt."""
    user = User.objects.filter(email__iexact=email).select_related("organisation").first() if email else None
    return user.organisation if user is not None else None


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    # Never store the attempted password; the identifier is enough to spot an attack.
    email = str(credentials.get("username", ""))[:254]
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        request=request,
        organisation=_organisation_of(email),
        details={"actor_label": email},
    )


@receiver(user_locked_out)
def _audit_locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(
        action=AuditAction.ACCOUNT_LOCKED,
        request=request,
        organisation=_organisation_of(username),
        details={"actor_label": str(username or "")[:254]},
    )
