from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attempts.enums import WRITTEN_CHANNELS, Channel, Outcome, RecordedVia, Reply
from cases.models import Case


class AttemptQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Attempts follow their case's scope (the one rule: Case.objects.visible_to)."""
        return self.filter(case__in=Case.objects.visible_to(user))


class Attempt(models.Model):
    """One try to get an appointment, or one written request to the prefecture."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attempts")
    moment = models.DateTimeField(_("date et heure"), default=timezone.now, db_index=True)
    channel = models.CharField(_("canal"), max_length=30, choices=Channel.choices, default=Channel.PREFECTURE_WEB)
    outcome = models.CharField(_("résultat"), max_length=30, choices=Outcome.choices, default=Outcome.NO_SLOT)
    url = models.URLField(_("adresse de la page"), max_length=500, blank=True)
    message = models.TextField(_("message affiché"), blank=True)
    note = models.TextField(_("remarque"), blank=True)
    recorded_via = models.CharField(max_length=20, choices=RecordedVia.choices, default=RecordedVia.CASEWORKER)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when the person reported the attempt through their own link (never the token itself).
    self_report_link = models.ForeignKey(
        "SelfReportLink", on_delete=models.SET_NULL, null=True, blank=True, related_name="attempts"
    )
    # Written requests (email, LRAR): acknowledgement and the prefecture's reply.
    acknowledgement_number = models.CharField(_("numéro d'accusé de réception"), max_length=60, blank=True)
    acknowledgement_date = models.DateField(_("date de l'accusé de réception"), null=True, blank=True)
    reply = models.CharField(_("réponse de la préfecture"), max_length=20, choices=Reply.choices, blank=True)
    reply_date = models.DateField(_("date de la réponse"), null=True, blank=True)
    # Denormalised: number of (non-deleted) evidence files, kept by the evidence services.
    evidence_count = models.PositiveIntegerField(default=0, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("tentative")
        verbose_name_plural = _("tentatives")
        ordering = ["-moment", "-id"]
        indexes = [models.Index(fields=["case", "moment"], name="attempt_case_moment")]

    def __str__(self):
        return f"{self.moment:%Y-%m-%d %H:%M} {self.get_outcome_display()}"

    @property
    def is_written_request(self):
        return self.channel in WRITTEN_CHANNELS


class AttemptRevision(models.Model):
    """One correction of an attempt (note, outcome, reply): what it was, what it became, who, when.

    The moment, the channel and the evidence are never corrected: they are what the court reads.
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()  # the attempt's version this correction produced
    before = models.JSONField()
    after = models.JSONField()
    reason = models.CharField(_("motif de la correction"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("correction de tentative")
        verbose_name_plural = _("corrections de tentatives")
        ordering = ["-changed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["attempt", "version"], name="attempt_revision_unique_version")]

    def __str__(self):
        return f"Tentative {self.attempt_id} v{self.version}"


def evidence_upload_to(instance, filename):
    # The stored name never reuses the uploaded one (kept in original_name): no path tricks.
    return f"evidence/{timezone.now():%Y/%m}/{instance.sha256}"


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(attempt__case__in=Case.objects.visible_to(user))

    def present(self):
        return self.filter(deleted_at__isnull=True)


class Evidence(models.Model):
    """A file proving an attempt. Hash, size, type and receipt time are fixed at upload."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_upload_to, max_length=300)
    thumbnail = models.FileField(upload_to="thumbnails/%Y/%m", max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True, editable=False)
    size = models.PositiveBigIntegerField(editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    original_name = models.CharField(max_length=255, editable=False)
    received_at = models.DateTimeField(editable=False, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_via = models.CharField(max_length=20, choices=RecordedVia.choices, default=RecordedVia.CASEWORKER)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    delete_reason = models.CharField(max_length=300, blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("preuve")
        verbose_name_plural = _("preuves")
        ordering = ["received_at", "id"]

    def __str__(self):
        return f"{self.original_name} ({self.sha256[:12]}…)"

    @property
    def is_image(self):
        return self.content_type.startswith("image/")

    @property
    def short_hash(self):
        return self.sha256[:12]


class SelfReportLinkQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(case__in=Case.objects.visible_to(user))

    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class SelfReportLink(models.Model):
    """A private link for the person to report their own attempts. Only the token's hash is stored."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="self_report_links")
    token_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=8, default="fr")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    use_count = models.PositiveIntegerField(default=0)

    objects = SelfReportLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("lien personnel")
        verbose_name_plural = _("liens personnels")
        ordering = ["-created_at"]

    def __str__(self):
        return f"Lien #{self.pk} (dossier {self.case_id})"

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


# Import records live beside the importer (attempts/imports/); imported here so Django finds them.
from attempts.imports.models import ImportBatch, ImportedRow, ImportMapping  # noqa: E402, F401
