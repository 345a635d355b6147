"""Login, logout and failed-login events go to the audit journal."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.enums import AuditAction
from accounts.services import audit_record


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    audit_record(action=AuditAction.LOGIN, actor=user, request=request, obj=user)


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=AuditAction.LOGOUT, actor=user, request=request, obj=user)


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    # Never store the attempted password; the identifier is enough to spot an attack.
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        request=request,
        details={"actor_label": str(credentials.get("username", ""))[:254]},
    )
