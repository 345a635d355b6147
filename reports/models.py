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
