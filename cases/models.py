from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Team
from cases.enums import (
    AnefScope,
    CaseStatus,
    DeadlineAnchor,
    DocumentKind,
    HarmKind,
    ProcedureType,
    Readiness,
    RuleTag,
    Urgency,
)
from cases.validators import validate_foreigner_number, validate_nationality


class Prefecture(models.Model):
    """Reference data (cases/data/prefectures.csv, loaded by a data migration); admins edit it.

    It lives in `cases` because a case is a procedure *at* a prefecture, and lower apps never
    import higher ones. Empty fields are unverified on purpose: never invent an address.
    """

    class Kind(models.TextChoices):
        PREFECTURE = "prefecture", _("Préfecture")
        SOUS_PREFECTURE = "sous-prefecture", _("Sous-préfecture")

    code = models.CharField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.PREFECTURE)
    name = models.CharField(_("nom"), max_length=200)
    department_code = models.CharField(_("département"), max_length=3, db_index=True)
    department_name = models.CharField(_("nom du département"), max_length=100)
    city = models.CharField(_("ville"), max_length=100)
    booking_url = models.URLField(_("page de prise de rendez-vous"), blank=True)
    foreigners_email = models.EmailField(_("e-mail du service des étrangers"), blank=True)
    postal_address = models.TextField(_("adresse postale"), blank=True)
    tribunal_administratif = models.CharField(_("tribunal administratif compétent"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("préfecture")
        verbose_name_plural = _("préfectures")
        ordering = ["department_code", "kind", "name"]

    def __str__(self):
        return f"{self.name} ({self.department_code})"


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one scoping rule for people: see Case.objects.visible_to."""
        if not user.is_authenticated or user.organisation_id is None or user.role is None:
            return self.none()
        qs = self.filter(organisation_id=user.organisation_id, deleted_at__isnull=True)
        if user.is_coordinator:
            return qs
        team_ids = user.team_ids()
        return qs.filter(Q(team_id__in=team_ids) | Q(cases__team_id__in=team_ids)).distinct()


class Person(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="persons")
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="persons", help_text=_("Équipe qui a accueilli la personne.")
    )
    last_name = models.CharField(_("nom"), max_length=150)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    aliases = models.TextField(
        _("autres orthographes"), blank=True, help_text=_("Une orthographe par ligne (passeport, titre, ANEF…).")
    )
    # Normalised names and aliases (no accents, no spaces, lower case) for search and duplicates.
    search_key = models.TextField(editable=False, blank=True, db_index=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    birth_place = models.CharField(_("lieu de naissance"), max_length=150, blank=True)
    nationality = models.CharField(
        _("nationalité"),
        max_length=2,
        blank=True,
        validators=[validate_nationality],
        help_text=_("Code pays ISO."),
    )
    languages = models.CharField(_("langues parlées"), max_length=200, blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    has_no_email = models.BooleanField(
        _("n'a pas d'adresse e-mail"), default=False, help_text=_("L'ANEF ne peut pas lui envoyer de notification.")
    )
    postal_address = models.TextField(_("adresse postale"), blank=True)
    is_domiciliation = models.BooleanField(_("domiciliation (adresse d'une association)"), default=False)
    foreigner_number = models.CharField(
        _("numéro étranger (AGDREF)"),
        max_length=10,
        blank=True,
        db_index=True,
        validators=[validate_foreigner_number],
        help_text=_("10 chiffres, sur le titre de séjour ou le récépissé."),
    )
    situation = models.TextField(_("emploi, prestations (en bref)"), blank=True)
    consent_at = models.DateField(_("consentement au traitement des données le"), null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    # Set when an admin merged this record into another one (the row is kept, soft-deleted).
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from", editable=False
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["organisation", "birth_date"])]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.last_name.upper()} {self.first_name}".strip()


def readiness_check_if_unchanged():
    """`readiness_checked_at` when neither the case (`updated_at`) nor its attempts (`last_attempt_at`)
    changed after that check, else NULL: litigation's freshness rule is then one range condition
    on this expression, which the index `case_readiness_check` serves (see litigation.selectors).

    Not a partial index on purpose: PostgreSQL keeps statistics for the expression of a full index
    only; without them it expects a third of the cases to be stale and plans for tens of thousands
    of rows (10 ms instead of 0.3 ms at 120,000 cases).
    Coalesce, not Greatest alone: SQLite's max() is NULL when any argument is.
    """
    return models.Case(
        models.When(
            readiness_checked_at__gte=Greatest("updated_at", Coalesce("last_attempt_at", "updated_at")),
            then=F("readiness_checked_at"),
        ),
        default=None,
        output_field=models.DateTimeField(),
    )


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one scoping rule for personal data.

        Caseworkers see their teams' cases; coordinators and admins their organisation's;
        nobody sees another organisation's. Views fetch through this, so an out-of-scope
        case is a 404, never a 403.
        """
        if not user.is_authenticated or user.organisation_id is None or user.role is None:
            return self.none()
        qs = self.filter(team__organisation_id=user.organisation_id, deleted_at__isnull=True)
        if user.is_coordinator:
            return qs
        return qs.filter(team_id__in=user.team_ids())

    def open(self):
        return self.exclude(status=CaseStatus.CLOSED)


class Case(models.Model):
    """One procedure of one person at one prefecture, owned by a team."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("suivi par"),
    )
    procedure = models.CharField(_("démarche"), max_length=40, choices=ProcedureType.choices)
    prefecture = models.ForeignKey(Prefecture, on_delete=models.PROTECT, related_name="cases")
    uses_anef = models.BooleanField(
        _("démarche sur l'ANEF"), default=False, help_text=_("Demande en ligne sur l'ANEF (titres concernés).")
    )
    status = models.CharField(_("statut"), max_length=40, choices=CaseStatus.choices, default=CaseStatus.INTAKE)
    entry_date = models.DateField(_("date d'entrée en France"), null=True, blank=True)
    filing_date = models.DateField(
        _("date de dépôt de la demande"), null=True, blank=True, help_text=_("Point de départ du rejet implicite.")
    )
    has_unexecuted_oqtf = models.BooleanField(_("OQTF non exécutée"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    # Denormalised, recomputed by services whenever inputs change and by `recompute_flags`.
    next_deadline_date = models.DateField(null=True, blank=True, editable=False)
    next_deadline_label = models.CharField(max_length=200, blank=True, editable=False)
    urgency = models.PositiveSmallIntegerField(choices=Urgency.choices, default=Urgency.NONE, editable=False)
    readiness = models.CharField(max_length=30, choices=Readiness.choices, default=Readiness.NOT_YET, editable=False)
    readiness_since = models.DateField(null=True, blank=True, editable=False)
    # When litigation last evaluated the readiness (changed or not): the queues page re-evaluates a
    # case whose check is older than today, than `updated_at` or than `last_attempt_at`.
    readiness_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_attempt_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempt_count = models.PositiveIntegerField(default=0, editable=False)

    snoozed_until = models.DateField(_("rappels suspendus jusqu'au"), null=True, blank=True)
    snooze_reason = models.CharField(_("raison"), max_length=200, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["urgency", "next_deadline_date", "id"]
        indexes = [
            models.Index(fields=["team", "urgency", "next_deadline_date", "id"], name="case_team_urgency"),
            models.Index(fields=["assignee", "urgency", "next_deadline_date"], name="case_assignee_urgency"),
            models.Index(fields=["status"], name="case_status"),
            models.Index(fields=["readiness", "urgency"], name="case_readiness"),
            # The list's default order across a whole organisation (coordinators): walked, not sorted.
            models.Index(
                fields=["urgency", "next_deadline_date", "id"],
                name="case_list_order",
                condition=Q(deleted_at__isnull=True),
            ),
            models.Index(readiness_check_if_unchanged(), name="case_readiness_check"),
            # The dashboard's short lists, in their order: the first ten are read, not sorted out
            # of tens of thousands (reports.selectors.stale_cases and litigation_queue).
            models.Index(
                fields=["urgency", "last_attempt_at", "id"],
                name="case_stale_order",
                condition=Q(deleted_at__isnull=True, status="attempting"),
            ),
            models.Index(
                fields=["urgency", "readiness_since", "id"],
                name="case_action_order",
                condition=Q(deleted_at__isnull=True) & ~Q(readiness="not_yet"),
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.get_procedure_display()} · {self.prefecture.name}"


class ResidenceDocument(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("type de document"), max_length=40, choices=DocumentKind.choices)
    number = models.CharField(_("numéro"), max_length=40, blank=True)
    valid_from = models.DateField(_("valable du"), null=True, blank=True)
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    duration_years = models.PositiveSmallIntegerField(
        _("durée (années)"), null=True, blank=True, help_text=_("Pour les cartes pluriannuelles (délai de grâce).")
    )
    authorises_work = models.BooleanField(_("autorise à travailler"), default=False)
    note = models.CharField(_("remarque"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document de séjour")
        verbose_name_plural = _("documents de séjour")
        ordering = ["-valid_until", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="document_valid_until_after_from",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.valid_until or '?'}"


class HarmEvent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="harms")
    kind = models.CharField(_("préjudice"), max_length=40, choices=HarmKind.choices)
    occurred_on = models.DateField(_("date"))
    note = models.TextField(_("détails"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("préjudice")
        verbose_name_plural = _("préjudices")
        ordering = ["-occurred_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.occurred_on})"


class DeadlineRuleQuerySet(models.QuerySet):
    def in_force(self, on):
        """The latest version of each rule code valid on `on` (inactive latest versions are dropped)."""
        rows = self.filter(valid_from__lte=on).order_by("code", "-version")
        latest = {}
        for rule in rows:
            latest.setdefault(rule.code, rule)
        return [rule for rule in latest.values() if rule.active]


class DeadlineRule(models.Model):
    """One dated milestone rule (DOMAIN.md's table), as data a jurist can change without a deploy.

    Rows are never edited in place: a change is a new row with the next version for the same code,
    so the milestones computed at any moment can be traced to the rule text then in force.
    """

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"), default=1)
    label = models.CharField(_("libellé"), max_length=200)
    anchor = models.CharField(_("point de départ"), max_length=30, choices=DeadlineAnchor.choices)
    offset_days = models.IntegerField(_("décalage (jours)"), default=0, help_text=_("Appliqué en premier."))
    offset_months = models.IntegerField(_("décalage (mois)"), default=0, help_text=_("Négatif : avant la date."))
    procedures = models.JSONField(
        _("démarches concernées"), default=list, blank=True, help_text=_("Vide : toutes les démarches.")
    )
    document_kinds = models.JSONField(
        _("documents concernés"),
        default=list,
        blank=True,
        help_text=_("Type du document qui sert de point de départ. Vide : tous."),
    )
    min_document_years = models.PositiveSmallIntegerField(
        _("durée minimale du document (années)"), null=True, blank=True
    )
    anef = models.CharField(_("ANEF"), max_length=10, choices=AnefScope.choices, default=AnefScope.ANY)
    is_deadline = models.BooleanField(
        _("échéance"),
        default=True,
        help_text=_("Compte pour la prochaine échéance et l'urgence du dossier. Sinon : simple rappel."),
    )
    until_filed = models.BooleanField(
        _("seulement avant le dépôt"),
        default=False,
        help_text=_("Ne s'applique plus une fois la demande déposée (date de dépôt renseignée)."),
    )
    hide_after_days = models.PositiveIntegerField(
        _("masquer après (jours)"),
        null=True,
        blank=True,
        help_text=_("Ne plus afficher ce jalon tant de jours après sa date (échéances d'âge)."),
    )
    source = models.CharField(_("source"), max_length=300)
    tag = models.CharField(_("nature"), max_length=10, choices=RuleTag.choices, default=RuleTag.DEFAULT)
    active = models.BooleanField(_("active"), default=True)
    valid_from = models.DateField(_("en vigueur à partir du"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = DeadlineRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("règle d'échéance")
        verbose_name_plural = _("règles d'échéance")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="deadline_rule_code_version")]

    def __str__(self):
        return f"{self.code} v{self.version} · {self.label}"
