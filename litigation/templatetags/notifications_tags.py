from django import template

from litigation.notification_forms import CaseSnoozeForm

register = template.Library()


@register.inclusion_tag("litigation/includes/case_snooze_panel.html", takes_context=True)
def case_snooze_panel(context, case):
    """The "suspend reminders" form on the case page (reminders belong to litigation)."""
    return {
        "case": case,
        "form": CaseSnoozeForm(initial={"version": case.version}),
        "csrf_token": context.get("csrf_token"),
        "is_coordinator": context.get("nav_is_coordinator", False),
    }
