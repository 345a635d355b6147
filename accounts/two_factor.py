"""Two-factor authentication (django-otp): who needs it, enrolment, backup codes, reset.

Coordinators, admins and staff must use it (they see a whole organisation's cases);
caseworkers may, and must when their organisation sets `require_2fa_for_all`. A user who
enrolled voluntarily is asked for a code at every login too (see `SESSION_PENDING_KEY`).
"""

import base64
import io

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enums import AuditAction
from accounts.models import User
from accounts.services import audit_record

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Application d'authentification"
BACKUP_DEVICE_NAME = "Codes de secours"
# Set at login when the user has a confirmed device: the session stays half-open (only the
# second-factor pages) until a code is given, even for users for whom 2FA is optional.
SESSION_PENDING_KEY = "two_factor_pending"
# Backup codes are shown once, on the page that follows their generation.
SESSION_NEW_CODES_KEY = "two_factor_new_codes"


def is_required(user: User) -> bool:
    """2FA is mandatory for this user (role, staff status or organisation setting)."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser or user.is_coordinator:
        return True
    return user.organisation_id is not None and user.organisation.require_2fa_for_all


def has_device(user: User) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def session_needs_second_factor(request) -> bool:
    """The logged-in user must give a code before using the application."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    return bool(request.session.get(SESSION_PENDING_KEY)) or is_required(user)


def totp_enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (the same one on reload, so the QR code is stable)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The shared secret in base32, in groups of four, for people who cannot scan the QR code."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code in a data: URI (rendered here, no script, CSP-safe)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _is_totp_code(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


class Throttled(Exception):
    def __init__(self, seconds: int):
        self.seconds = seconds


@transaction.atomic
def totp_confirm(*, request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the enrolment when `code` matches; returns the new backup codes, or None.

    The new device replaces any previous one, the session becomes verified, and fresh
    backup codes are generated (shown once).
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user, confirmed=False)
    allowed, data = device.verify_is_allowed()
    if not allowed:
        raise Throttled(_seconds_left(data))
    if not device.verify_token(normalise_code(code)):
        return None
    TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    request.session.pop(SESSION_PENDING_KEY, None)
    audit_record(action=AuditAction.TWO_FACTOR_ENABLE, request=request, obj=request.user)
    return backup_codes_generate(request=request)


@transaction.atomic
def backup_codes_generate(*, request) -> list[str]:
    """Replace the user's backup codes with 10 new single-use ones."""
    user = request.user
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    audit_record(action=AuditAction.BACKUP_CODES_GENERATE, request=request, obj=user)
    return codes


def verify(*, request, code: str) -> bool:
    """Second step of the login: a TOTP code or a backup code (each usable once).

    django-otp throttles each device after a failure (1 s, 2 s, 4 s...), which makes
    guessing six digits hopeless; failures are written to the audit journal.
    """
    user = request.user
    code = normalise_code(code)
    device_class = TOTPDevice if _is_totp_code(code) else StaticDevice
    with transaction.atomic():
        devices = list(device_class.objects.select_for_update().filter(user=user, confirmed=True))
        for device in devices:
            allowed, data = device.verify_is_allowed()
            if not allowed:
                raise Throttled(_seconds_left(data))
        verified = next((device for device in devices if device.verify_token(code)), None)
    if verified is None:
        audit_record(action=AuditAction.TWO_FACTOR_FAILED, request=request, obj=user)
        return False
    otp_login(request, verified)
    request.session.pop(SESSION_PENDING_KEY, None)
    return True


def _seconds_left(data) -> int:
    locked_until = (data or {}).get("locked_until")
    if locked_until is None:
        return 1
    return max(1, int((locked_until - timezone.now()).total_seconds()) + 1)


@transaction.atomic
def two_factor_reset(*, user: User, request) -> None:
    """An admin removes a member's devices (lost phone): they enrol again at next request."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    audit_record(action=AuditAction.TWO_FACTOR_RESET, request=request, obj=user, organisation=user.organisation)
