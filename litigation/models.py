import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from cases.enums import ProcedureType, Readiness
from cases.models import Case, Person
from litigation.enums import (
    ORDERING_OUTCOMES,
    ActionKind,
    ActionOutcome,
    ArchiveStatus,
    DocumentKind,
    DocumentStatus,
    LegalAid,
    NotificationKind,
    ReferralChannel,
    ReferralOutcome,
)


def _default_urgency_procedures():
    return [ProcedureType.RENEWAL.value]


class ReadinessPolicyQuerySet(models.QuerySet):
    def current_for(self, organisation_id):
        """The organisation's current policy, or the shared default when it has none of its own."""
        from litigation.readiness import current_policies

        by_org, default = current_policies()
        return by_org.get(organisation_id, default)


class ReadinessPolicy(models.Model):
    """The thresholds of the readiness rule, versioned: a change is a new row, never an edit.

    Every threshold sits beside a `*_source` text saying where it comes from (a court decision,
    a practice note, or our own default), so a jurist can review and change it without a deploy.
    The row with no organisation is the shared default; an organisation's first change forks it.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="readiness_policies"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(default=True)
    change_note = models.CharField(_("motif du changement"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    # Référé « mesures utiles »: the attempt log.
    min_span_days = models.PositiveSmallIntegerField(
        _("durée minimale couverte par les tentatives (jours)"), default=21
    )
    min_span_days_source = models.TextField(_("source"), blank=True)
    min_iso_weeks = models.PositiveSmallIntegerField(_("nombre minimal de semaines distinctes"), default=3)
    min_iso_weeks_source = models.TextField(_("source"), blank=True)
    min_distinct_days = models.PositiveSmallIntegerField(_("nombre minimal de jours distincts"), default=10)
    min_distinct_days_source = models.TextField(_("source"), blank=True)
    min_time_bands = models.PositiveSmallIntegerField(_("nombre minimal de moments de la journée"), default=2)
    morning_ends_hour = models.PositiveSmallIntegerField(_("fin du matin (heure de Paris)"), default=12)
    evening_starts_hour = models.PositiveSmallIntegerField(_("début du soir (heure de Paris)"), default=17)
    min_time_bands_source = models.TextField(_("source"), blank=True)
    evidence_on_every_attempt = models.BooleanField(_("preuve horodatée exigée pour chaque tentative"), default=True)
    evidence_on_every_attempt_source = models.TextField(_("source"), blank=True)
    min_written_requests = models.PositiveSmallIntegerField(_("nombre minimal de demandes écrites"), default=1)
    written_request_min_age_days = models.PositiveSmallIntegerField(
        _("ancienneté minimale de la demande écrite sans réponse utile (jours)"), default=8
    )
    written_request_source = models.TextField(_("source"), blank=True)
    # Urgency: presumed for these procedures, or shown by a recorded harm; otherwise a lawyer looks.
    urgency_presumed_procedures = models.JSONField(
        _("démarches où l'urgence est présumée"), default=_default_urgency_procedures
    )
    urgency_from_recorded_harm = models.BooleanField(
        _("un préjudice enregistré établit l'urgence (emploi, prestations, âge)"), default=True
    )
    urgency_source = models.TextField(_("source"), blank=True)
    oqtf_requires_lawyer_review = models.BooleanField(_("OQTF non exécutée : examen par un·e avocat·e"), default=True)
    oqtf_source = models.TextField(_("source"), blank=True)
    anef_help_channels_required = models.BooleanField(
        _("démarches ANEF : tentatives auprès du CCC et d'un PAN exigées"), default=True
    )
    anef_help_channels_source = models.TextField(_("source"), blank=True)

    # Défenseur des droits: any one of these makes a referral possible (beside a référé, never instead).
    referral_written_request_days = models.PositiveSmallIntegerField(
        _("demande écrite sans réponse depuis (jours)"), default=30
    )
    referral_written_request_source = models.TextField(_("source"), blank=True)
    referral_provisional_document = models.BooleanField(_("récépissé ou API manquant ou en retard"), default=True)
    referral_provisional_document_grace_days = models.PositiveSmallIntegerField(
        _("délai laissé après le dépôt pour remettre le récépissé ou l'API (jours)"), default=0
    )
    referral_provisional_document_source = models.TextField(_("source"), blank=True)
    referral_recorded_harm = models.BooleanField(_("préjudice enregistré"), default=True)
    referral_recorded_harm_source = models.TextField(_("source"), blank=True)
    referral_anef_technical_error = models.BooleanField(_("erreur technique de l'ANEF enregistrée"), default=True)
    referral_anef_technical_error_source = models.TextField(_("source"), blank=True)

    objects = ReadinessPolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("règle de préparation au contentieux")
        verbose_name_plural = _("règles de préparation au contentieux")
        ordering = ["organisation_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(is_current=True), name="policy_one_current_per_organisation"
            ),
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True, organisation__isnull=True),
                name="policy_one_current_default",
            ),
            models.CheckConstraint(
                condition=Q(morning_ends_hour__lt=models.F("evening_starts_hour")), name="policy_band_edges_ordered"
            ),
        ]

    def __str__(self):
        return f"v{self.version} ({self.organisation or _('par défaut')})"

    @property
    def band_edges(self) -> tuple[int, int]:
        return (self.morning_ends_hour, self.evening_starts_hour)


class ReadinessEvaluation(models.Model):
    """One evaluation result, with the policy version it used.

    A new row is written only when the result changes (status, conditions or policy). So the table
    is the history of what changed and when, without one row per case per night. When the result
    was last confirmed, changed or not, is on the case (`Case.readiness_checked_at`): the queues
    page tests it without a join, and the nightly run writes one row per case there, not here too.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="readiness_evaluations")
    policy = models.ForeignKey(ReadinessPolicy, on_delete=models.PROTECT, related_name="evaluations")
    status = models.CharField(max_length=30, choices=Readiness.choices)
    ready_since = models.DateField(null=True, blank=True)
    conditions = models.JSONField(default=list)
    fingerprint = models.CharField(max_length=64)
    evaluated_at = models.DateTimeField(default=timezone.now)
    is_latest = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("évaluation de préparation")
        verbose_name_plural = _("évaluations de préparation")
        ordering = ["-evaluated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(is_latest=True), name="evaluation_one_latest_per_case")
        ]

    def __str__(self):
        return f"{self.case_id} {self.status} ({self.evaluated_at:%Y-%m-%d})"


class LitigationActionQuerySet(models.QuerySet):
    def awaiting_order(self):
        return self.filter(filed_on__isnull=False, order_on__isnull=True, outcome=ActionOutcome.PENDING)

    def order_not_executed(self, today: datetime.date):
        return self.filter(
            outcome__in=ORDERING_OUTCOMES, executed_on__isnull=True, execution_due_on__isnull=False
        ).filter(execution_due_on__lt=today)


class LitigationAction(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="litigation_actions")
    kind = models.CharField(
        _("type de recours"), max_length=30, choices=ActionKind.choices, default=ActionKind.REFERE_MESURES_UTILES
    )
    court = models.CharField(_("tribunal"), max_length=200, blank=True)
    court_case_number = models.CharField(_("numéro de requête"), max_length=60, blank=True)
    lawyer = models.CharField(_("avocat·e"), max_length=200, blank=True)
    legal_aid = models.CharField(
        _("aide juridictionnelle"), max_length=20, choices=LegalAid.choices, default=LegalAid.NOT_REQUESTED
    )
    filed_on = models.DateField(_("date de dépôt"), null=True, blank=True)
    hearing_on = models.DateField(_("date d'audience"), null=True, blank=True)
    order_on = models.DateField(_("date de l'ordonnance"), null=True, blank=True)
    outcome = models.CharField(_("issue"), max_length=20, choices=ActionOutcome.choices, default=ActionOutcome.PENDING)
    ordered_appointment_within_days = models.PositiveSmallIntegerField(
        _("délai pour fixer le rendez-vous (jours)"), null=True, blank=True
    )
    ordered_held_within_days = models.PositiveSmallIntegerField(
        _("délai pour tenir le rendez-vous (jours)"), null=True, blank=True
    )
    daily_penalty_eur = models.DecimalField(
        _("astreinte (euros par jour)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    executed_on = models.DateField(_("date d'exécution"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Derived by the services from order_on and the ordered delays: the day after which the order
    # counts as not executed (stored so the queue is one indexed query).
    execution_due_on = models.DateField(null=True, blank=True, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LitigationActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action contentieuse")
        verbose_name_plural = _("actions contentieuses")
        ordering = ["-filed_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.court_case_number or self.pk})"

    def order_not_executed(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.outcome in ORDERING_OUTCOMES
            and self.executed_on is None
            and self.execution_due_on is not None
            and self.execution_due_on < today
        )


class DefenderReferral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="defender_referrals")
    channel = models.CharField(
        _("mode de saisine"), max_length=20, choices=ReferralChannel.choices, default=ReferralChannel.ONLINE_FORM
    )
    delegate_name = models.CharField(_("nom du ou de la délégué·e"), max_length=200, blank=True)
    reference = models.CharField(_("référence du dossier"), max_length=60, blank=True)
    sent_on = models.DateField(_("date de saisine"), null=True, blank=True)
    acknowledged_on = models.DateField(_("date de l'accusé de réception"), null=True, blank=True)
    answered_on = models.DateField(_("date de la réponse"), null=True, blank=True)
    outcome = models.CharField(
        _("suite donnée"), max_length=30, choices=ReferralOutcome.choices, default=ReferralOutcome.PENDING
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("saisine du Défenseur des droits")
        verbose_name_plural = _("saisines du Défenseur des droits")
        ordering = ["-sent_on", "-id"]

    def __str__(self):
        return f"{self.get_channel_display()} ({self.reference or self.pk})"


STALLED_AFTER = datetime.timedelta(minutes=10)


def document_upload_to(instance, filename):
    # The services name files after ids only: never the user's words in a path.
    return f"documents/{timezone.now():%Y/%m}/{filename}"


class GeneratedDocument(models.Model):
    """A PDF (or ZIP) built from a case's data, with the hash of what it was built from."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="generated_documents")
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    status = models.CharField(max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.PENDING)
    # What the user chose before generation (summary of facts, delay asked for...).
    options = models.JSONField(default=dict, blank=True)
    file = models.FileField(upload_to=document_upload_to, max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    # Télérecours: the dossier's exhibits, one file each, named as in the bordereau.
    archive = models.FileField(upload_to=document_upload_to, max_length=300, blank=True)
    archive_sha256 = models.CharField(max_length=64, blank=True)
    data_hash = models.CharField(max_length=64, blank=True)
    page_count = models.PositiveIntegerField(default=0)
    exhibit_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document généré")
        verbose_name_plural = _("documents générés")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "kind", "-created_at"], name="document_case_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in (DocumentStatus.PENDING, DocumentStatus.BUILDING)

    @property
    def is_stalled(self) -> bool:
        """A build that should have finished long ago (worker killed, job lost): offer a retry."""
        since = self.started_at or self.created_at
        return self.is_active and since is not None and timezone.now() - since > STALLED_AFTER


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
