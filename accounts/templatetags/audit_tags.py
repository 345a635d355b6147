"""Audit journal pieces for other apps' pages (cases sits above accounts and loads these)."""

from django import template
from django.db.models import Count, Max

from accounts.enums import AuditAction
from accounts.models import AuditEvent

register = template.Library()

CASE_READERS_LIMIT = 10


@register.inclusion_tag("accounts/includes/case_readers.html", takes_context=True)
def case_readers(context, case, limit=CASE_READERS_LIMIT):
    """Who looked at this file, and when (last reads first): shown to coordinators only."""
    user = context["request"].user
    if not user.is_coordinator:
        return {"show": False}
    readers = (
        AuditEvent.objects.filter(organisation_id=user.organisation_id, action=AuditAction.CASE_VIEW, case_id=case.pk)
        .values("actor_label", "actor__first_name", "actor__last_name")
        .annotate(last_read_at=Max("at"), reads=Count("id"))
        .order_by("-last_read_at")[:limit]
    )
    return {"show": True, "readers": list(readers)}
