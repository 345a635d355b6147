from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Person
from litigation.enums import ArchiveStatus, NotificationKind


class Notification(models.Model):
    """One reminder for one user about one case, shown in the app and sent in the morning digest.

    `ref` names the state that triggered it (the deadline date, the document and its expiry,
    the day readiness was reached...): the unique constraint on (user, case, kind, ref) makes
    `notifications_generate` idempotent, and a change is reported once, not every day.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("type"), max_length=30, choices=NotificationKind.choices)
    ref = models.CharField(max_length=60)
    message = models.CharField(_("message"), max_length=300)
    day = models.DateField(_("jour"), db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-day", "kind", "case_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "case", "kind", "ref"], name="notification_unique_event"),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.case_id} {self.day}"


class DigestPreference(models.Model):
    """A user's choice of reminders. No row = every kind, digest on."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference")
    disabled_kinds = models.JSONField(default=list, blank=True)
    paused = models.BooleanField(_("suspendre l'e-mail du matin"), default=False)
    paused_until = models.DateField(_("suspendre jusqu'au (inclus)"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")

    def __str__(self):
        return str(self.user_id)

    def is_paused(self, day) -> bool:
        return self.paused or (self.paused_until is not None and day <= self.paused_until)


class RetentionExtension(models.Model):
    """A coordinator's decision to keep a closed case longer than the retention period.

    Kept beside the case (not on it) so the retention rules stay in one app; each extension is
    a new row (the latest wins) and is audited.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="retention_extensions")
    until = models.DateField(_("conserver jusqu'au"))
    reason = models.CharField(_("raison"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("prolongation de conservation")
        verbose_name_plural = _("prolongations de conservation")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.case_id} → {self.until}"


def archive_upload_to(instance, filename):
    return f"person-archives/{instance.pk}/{filename}"


class PersonArchive(models.Model):
    """A ZIP of everything held about a person, built in the background on their request."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="archives")
    status = models.CharField(max_length=20, choices=ArchiveStatus.choices, default=ArchiveStatus.PENDING)
    file = models.FileField(upload_to=archive_upload_to, max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    built_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("archive des données d'une personne")
        verbose_name_plural = _("archives des données des personnes")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.person_id} {self.status}"
