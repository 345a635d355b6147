"""Reads for cases: every query for personal data starts from the scoping rule."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import AuditEvent
from cases.deadlines import milestones_for
from cases.filters import search_condition
from cases.models import Case, Person, ResidenceDocument
from cases.services import rules_in_force


def cases_for_list(user):
    return Case.objects.visible_to(user).select_related("person", "prefecture", "team", "assignee")


def case_for_page(user, pk):
    return get_object_or_404(
        cases_for_list(user).prefetch_related(
            Prefetch("person__documents", queryset=ResidenceDocument.objects.order_by("-valid_until", "-id")),
            "harms",
        ),
        pk=pk,
    )


def person_for_edit(user, pk):
    return get_object_or_404(Person.objects.visible_to(user), pk=pk)


def case_milestones(case, today=None):
    today = today or timezone.localdate()
    return milestones_for(case, rules_in_force(today), today)


def case_history(case):
    """Audit events of the case, oldest first (who did what, when)."""
    return AuditEvent.objects.filter(case_id=case.pk).select_related("actor").order_by("at", "id")


def people_search(user, query: str, limit: int = 10):
    if not query.strip():
        return Person.objects.none()
    return (
        Person.objects.visible_to(user)
        .filter(search_condition(query, prefix=""))
        .select_related("team")
        .order_by("last_name", "first_name", "id")[:limit]
    )
