"""The case list's filters, shared by the workspace (/cases/) and its CSV export.

Usage: `CaseFilter(request.GET, queryset=Case.objects.visible_to(user), request=request).qs`.
The queryset passed in must already be scoped; the filters only narrow it. A missing `scope`
means every visible case (the workspace view itself defaults to "mine" for caseworkers).
"""

import datetime

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, User
from accounts.selectors import teams_visible_to
from cases.enums import PROVISIONAL_DOCUMENT_KINDS, CaseStatus, ProcedureType, Readiness, Urgency
from cases.models import Prefecture, ResidenceDocument
from cases.names import canonical, plain
from cases.validators import normalise_foreigner_number

SCOPE_MINE = "mine"
SCOPE_TEAMS = "teams"
SORTS = {
    "urgency": ("urgency", "next_deadline_date", "id"),
    "name": ("person__last_name", "person__first_name", "id"),
    "recent": ("-created_at", "-id"),
}
DEFAULT_SORT = "urgency"


def _teams(request):
    return teams_visible_to(request.user) if request is not None else Team.objects.none()


def _assignees(request):
    if request is None:
        return User.objects.none()
    return (
        User.objects.filter(memberships__team__in=teams_visible_to(request.user), is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def default_scope(user) -> str:
    """The list opens on "my cases" for caseworkers, on their teams' cases for coordinators (export too)."""
    return SCOPE_TEAMS if user.is_coordinator else SCOPE_MINE


def no_attempt_condition(days: int, now: datetime.datetime | None = None) -> Q:
    """Attempting, and nothing logged for `days` (since the last attempt, or since the case opened)."""
    before = (now or timezone.now()) - datetime.timedelta(days=days)
    return Q(status=CaseStatus.ATTEMPTING) & (
        Q(last_attempt_at__lt=before) | Q(last_attempt_at__isnull=True, created_at__lt=before)
    )


def provisional_expiring_documents(days: int, today: datetime.date | None = None):
    """Provisional documents (récépissé, API, APS) expiring within `days`."""
    today = today or timezone.localdate()
    return ResidenceDocument.objects.filter(
        kind__in=PROVISIONAL_DOCUMENT_KINDS,
        valid_until__gte=today,
        valid_until__lte=today + datetime.timedelta(days=days),
    )


def provisional_expiring_condition(days: int, today: datetime.date | None = None) -> Exists:
    """The person holds a provisional document (récépissé, API, APS) expiring within `days`."""
    return Exists(provisional_expiring_documents(days, today).filter(person_id=OuterRef("person_id")))


def provisional_expiring_people(days: int, today: datetime.date | None = None) -> Q:
    """The same condition as a semi-join: counting over a whole organisation, PostgreSQL hashes
    the few matching people once instead of probing the documents once per case."""
    return Q(person_id__in=provisional_expiring_documents(days, today).values("person_id"))


def search_condition(value: str, prefix: str = "person__") -> Q:
    """Name (accent- and case-insensitive, across aliases) or foreigner number."""
    digits = normalise_foreigner_number(value)
    if digits.isdigit():
        return Q(**{f"{prefix}foreigner_number__startswith": digits})
    words, compact = plain(value), canonical(value)
    if not words:
        return Q()
    # The key is stored lower case and accent-free, so a plain `contains` behaves alike everywhere.
    return Q(**{f"{prefix}search_key__contains": words}) | Q(**{f"{prefix}search_key__contains": compact})


class CaseFilter(django_filters.FilterSet):
    scope = django_filters.ChoiceFilter(
        label=_("Dossiers"),
        choices=[(SCOPE_MINE, _("Mes dossiers")), (SCOPE_TEAMS, _("Dossiers de mes équipes"))],
        method="filter_scope",
        empty_label=None,
    )
    q = django_filters.CharFilter(label=_("Nom ou numéro étranger"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("Statut"), choices=CaseStatus.choices, empty_label=_("Tous"))
    procedure = django_filters.ChoiceFilter(label=_("Démarche"), choices=ProcedureType.choices, empty_label=_("Toutes"))
    prefecture = django_filters.ModelChoiceFilter(
        label=_("Préfecture"),
        queryset=Prefecture.objects.order_by("department_code", "kind", "name"),
        empty_label=_("Toutes"),
    )
    urgency = django_filters.ChoiceFilter(label=_("Urgence"), choices=Urgency.choices, empty_label=_("Toutes"))
    team = django_filters.ModelChoiceFilter(label=_("Équipe"), queryset=_teams, empty_label=_("Toutes"))
    assignee = django_filters.ModelChoiceFilter(label=_("Suivi par"), queryset=_assignees, empty_label=_("Tous"))
    readiness = django_filters.ChoiceFilter(label=_("Recours"), choices=Readiness.choices, empty_label=_("Tous"))
    open = django_filters.BooleanFilter(label=_("Dossiers ouverts seulement"), method="filter_open")
    no_attempt_days = django_filters.NumberFilter(
        label=_("En tentatives, sans tentative depuis (jours)"), method="filter_no_attempt_days", min_value=0
    )
    provisional_expiring_days = django_filters.NumberFilter(
        label=_("Récépissé, API ou APS expirant sous (jours)"), method="filter_provisional_expiring", min_value=0
    )
    sort = django_filters.ChoiceFilter(
        label=_("Trier par"),
        choices=[("urgency", _("Urgence")), ("name", _("Nom")), ("recent", _("Plus récents"))],
        method="filter_sort",
        empty_label=None,
    )

    def filter_scope(self, queryset, name, value):
        if value == SCOPE_MINE and self.request is not None:
            return queryset.filter(assignee=self.request.user)
        return queryset

    def filter_q(self, queryset, name, value):
        return queryset.filter(search_condition(value))

    def filter_open(self, queryset, name, value):
        return queryset.exclude(status=CaseStatus.CLOSED) if value else queryset.filter(status=CaseStatus.CLOSED)

    def filter_no_attempt_days(self, queryset, name, value):
        return queryset.filter(no_attempt_condition(int(value)))

    def filter_provisional_expiring(self, queryset, name, value):
        return queryset.filter(provisional_expiring_condition(int(value)))

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS[DEFAULT_SORT]))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*SORTS[DEFAULT_SORT])
        return queryset
