import functools

from django import template
from django.utils import timezone

from cases.countries import nationality_label as nationality_label_for
from cases.enums import Urgency
from cases.workflow import next_action as next_action_for

register = template.Library()

URGENCY_CLASSES = {
    Urgency.EXPIRED: "urgency-expired",
    Urgency.D7: "urgency-d7",
    Urgency.D30: "urgency-d30",
    Urgency.D60: "urgency-d60",
    Urgency.LATER: "urgency-later",
    Urgency.NONE: "urgency-none",
}


@register.inclusion_tag("cases/includes/urgency_badge.html")
def urgency_badge(urgency):
    return {"label": Urgency(urgency).label, "css": URGENCY_CLASSES[Urgency(urgency)]}


@register.filter
def next_action(case):
    return next_action_for(case)


@register.filter
def days_from_today(day):
    if day is None:
        return None
    return (day - timezone.localdate()).days


@register.filter
def nationality_label(code):
    """{{ person.nationality|nationality_label }}: "Sénégal" for SN."""
    return nationality_label_for(code)


@functools.cache
def _choice_labels(field) -> dict:
    # The labels stay lazy: each request still renders them in its own language.
    return dict(field.flatchoices)


@register.filter
def choice_label(obj, field_name):
    """{{ case|choice_label:"procedure" }}: what `case.get_procedure_display` shows, for long lists.

    Django's get_FOO_display rebuilds a hashable copy of the field's choices on every call, which
    hashes, so translates, every lazy label: on the litigation queues (some 700 calls per page) that
    took about 40 % of the rendering. Here the value -> label map is built once per field.
    """
    field = obj._meta.get_field(field_name)
    value = getattr(obj, field.attname)
    return _choice_labels(field).get(value, value)
