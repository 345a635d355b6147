"""Filters of the attempts and saturation exports (the cases export uses the case list's own)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.models import Team
from accounts.selectors import teams_visible_to
from attempts.enums import Outcome
from cases.models import Prefecture
from litigation.enums import ActionKind, ActionOutcome, ReferralOutcome


def _teams(request):
    return teams_visible_to(request.user) if request is not None else Team.objects.none()


class AttemptPeriodFilter(django_filters.FilterSet):
    """Period (Paris dates, inclusive), prefecture and team of attempts of visible cases."""

    date_from = django_filters.DateFilter(label=_("Du"), field_name="moment", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(label=_("Au"), field_name="moment", lookup_expr="date__lte")
    prefecture = django_filters.ModelChoiceFilter(
        label=_("Préfecture"),
        field_name="case__prefecture",
        to_field_name="code",
        queryset=Prefecture.objects.order_by("department_code", "kind", "name"),
        empty_label=_("Toutes"),
    )
    team = django_filters.ModelChoiceFilter(
        label=_("Équipe"), field_name="case__team", queryset=_teams, empty_label=_("Toutes")
    )


class AttemptExportFilter(AttemptPeriodFilter):
    outcome = django_filters.ChoiceFilter(label=_("Résultat"), choices=Outcome.choices, empty_label=_("Tous"))


def _prefecture_filter():
    return django_filters.ModelChoiceFilter(
        label=_("Préfecture"),
        field_name="case__prefecture",
        to_field_name="code",
        queryset=Prefecture.objects.order_by("department_code", "kind", "name"),
        empty_label=_("Toutes"),
    )


def _team_filter():
    return django_filters.ModelChoiceFilter(
        label=_("Équipe"), field_name="case__team", queryset=_teams, empty_label=_("Toutes")
    )


class LitigationExportFilter(django_filters.FilterSet):
    """Court actions of visible cases: filing period (inclusive), prefecture, team, type, outcome."""

    date_from = django_filters.DateFilter(label=_("Déposés du"), field_name="filed_on", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("au"), field_name="filed_on", lookup_expr="lte")
    prefecture = _prefecture_filter()
    team = _team_filter()
    kind = django_filters.ChoiceFilter(label=_("Type de recours"), choices=ActionKind.choices, empty_label=_("Tous"))
    outcome = django_filters.ChoiceFilter(label=_("Issue"), choices=ActionOutcome.choices, empty_label=_("Toutes"))


class ReferralExportFilter(django_filters.FilterSet):
    """Referrals to the Défenseur des droits of visible cases: sending period, prefecture, team, outcome."""

    date_from = django_filters.DateFilter(label=_("Envoyées du"), field_name="sent_on", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("au"), field_name="sent_on", lookup_expr="lte")
    prefecture = _prefecture_filter()
    team = _team_filter()
    outcome = django_filters.ChoiceFilter(
        label=_("Suite donnée"), choices=ReferralOutcome.choices, empty_label=_("Toutes")
    )
