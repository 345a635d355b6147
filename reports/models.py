from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Team


class UrgencySnapshot(models.Model):
    """Open cases per urgency level for one team on one day.

    Urgency is stored on the case and changes every day, so the history behind the "cases by
    urgency over time" chart has to be recorded: `urgency_snapshot_take()` (nightly job) writes
    one row per team and day, overwriting the day's row when it runs twice.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    expired = models.PositiveIntegerField(default=0)
    d7 = models.PositiveIntegerField(default=0)
    d30 = models.PositiveIntegerField(default=0)
    d60 = models.PositiveIntegerField(default=0)
    later = models.PositiveIntegerField(default=0)
    no_deadline = models.PositiveIntegerField(default=0)
    taken_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("relevé des urgences")
        verbose_name_plural = _("relevés des urgences")
        ordering = ["day", "team_id"]
        constraints = [models.UniqueConstraint(fields=["team", "day"], name="urgency_snapshot_team_day")]
        indexes = [models.Index(fields=["organisation", "day"], name="urgency_snapshot_org_day")]

    def __str__(self):
        return f"{self.team_id} {self.day}"


class ExportJob(models.Model):
    """A large CSV export built by a background job, offered to its owner until it expires.

    The file is only offered once the job has written it completely (status READY and `file`
    set in the same update), and `exports_purge_expired()` deletes it after the retention delay.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours")
        READY = "ready", _("Prêt")
        FAILED = "failed", _("Échec")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("export"), max_length=30)
    params = models.JSONField(_("filtres"), default=dict, blank=True)
    dialect = models.CharField(max_length=20)
    pseudonymise = models.BooleanField(_("pseudonymisé"), default=False)
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="exports/", max_length=300, blank=True)
    row_count = models.PositiveIntegerField(_("lignes"), null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("supprimé le"), db_index=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.status})"
