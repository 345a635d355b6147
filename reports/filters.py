"""Filters of the attempts and saturation exports (the cases export uses the case list's own)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.models import Team
from accounts.selectors import teams_visible_to
from attempts.enums import Outcome
from cases.models import Prefecture


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
