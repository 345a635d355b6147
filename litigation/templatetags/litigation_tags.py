from django import template

from litigation import selectors, services

register = template.Library()


@register.inclusion_tag("litigation/includes/panel.html", takes_context=True)
def litigation_panel(context, case):
    """The case page's litigation panel. Evaluates the case live (freshness rule, services.py)."""
    evaluation = services.case_readiness_refresh(case.pk)
    return {
        "request": context.get("request"),
        "case": case,
        "evaluation": evaluation,
        **selectors.case_litigation(case),
    }
