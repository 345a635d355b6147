from django import template

from config.queues import enqueue
from litigation import selectors, tasks
from litigation.readiness import readiness_evaluate_many

register = template.Library()


@register.inclusion_tag("litigation/includes/panel.html", takes_context=True)
def litigation_panel(context, case):
    """The case page's litigation panel: the evaluation is computed live, never read stale.

    Reading the page does not write: when the live result differs from the stored one, the
    stored flag (used by lists and queues) is refreshed by a job. Constant query count.
    """
    evaluation = readiness_evaluate_many([case.pk])[case.pk]
    stored = selectors.latest_evaluation(case.pk)
    if stored is None or stored.fingerprint != evaluation.fingerprint:
        enqueue(tasks.recompute_case_flags, case.pk)
    return {
        "request": context.get("request"),
        "case": case,
        "evaluation": evaluation,
        **selectors.case_litigation(case),
    }
