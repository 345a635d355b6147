"""The attempts panel of the case page: `{% load attempts_tags %}{% attempts_panel case %}`.

The case page belongs to the cases app, which cannot import attempts; the panel composes in
the template instead. It runs a fixed number of queries whatever the number of attempts.
"""

from django import template
from django.core.paginator import Paginator

from attempts.enums import MESSAGE_NO_SLOT, MESSAGE_TECHNICAL_ERROR
from attempts.forms import AttemptForm, SelfReportLinkForm
from attempts.selectors import (
    TIMELINE_PAGE_SIZE,
    active_links_for_case,
    attempt_stats_for_case,
    attempts_for_timeline,
)

register = template.Library()


@register.inclusion_tag("attempts/includes/panel.html", takes_context=True)
def attempts_panel(context, case):
    request = context["request"]
    page = Paginator(attempts_for_timeline(case), TIMELINE_PAGE_SIZE).get_page(request.GET.get("attempts_page"))
    return {
        "case": case,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "form": AttemptForm(case=case),
        "page": page,
        "stats": attempt_stats_for_case(case),
        "links": list(active_links_for_case(case)),
        "link_form": SelfReportLinkForm(),
        "can_delete_evidence": request.user.is_org_admin,
        "message_no_slot": MESSAGE_NO_SLOT,
        "message_technical_error": MESSAGE_TECHNICAL_ERROR,
    }
