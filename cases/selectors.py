"""Reads for cases: every query for personal data starts from the scoping rule."""

from cases.models import Case


def cases_for_list(user):
    return Case.objects.visible_to(user).select_related("person", "prefecture", "team", "assignee")


def case_for_page(user, pk):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(cases_for_list(user), pk=pk)
