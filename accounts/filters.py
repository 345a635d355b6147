"""Filters of the audit journal page (and of its CSV export: the same filters)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.enums import AuditAction
from accounts.models import AuditEvent, User


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.ModelChoiceFilter(label=_("Utilisateur·rice"), queryset=User.objects.none())
    case_id = django_filters.NumberFilter(label=_("N° de dossier"), min_value=1)
    action = django_filters.ChoiceFilter(label=_("Action"), choices=AuditAction.choices)
    # Days in the project time zone (Paris): `at__date` converts before comparing.
    date_from = django_filters.DateFilter(
        label=_("Du"), field_name="at", lookup_expr="date__gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("Au"), field_name="at", lookup_expr="date__lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditEvent
        fields = ["actor", "case_id", "action", "date_from", "date_to"]

    def __init__(self, data=None, *args, organisation, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["actor"].queryset = User.objects.filter(organisation=organisation).order_by("email")
