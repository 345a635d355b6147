from django.shortcuts import render

from accounts.permissions import member_required
from reports import chart_builders, selectors


@member_required
def dashboard(request):
    """Coordinators: every team of the organisation. Caseworkers: their cases and their teams."""
    user = request.user
    context = {
        "metrics": selectors.metrics(),
        "rows": selectors.dashboard_rows(user),
        "load": selectors.caseworker_load(user) if user.is_coordinator else None,
        "most_urgent": selectors.most_urgent_cases(user),
        "queue": selectors.litigation_queue(user),
        "stale": selectors.stale_cases(user),
    }
    return render(request, "reports/dashboard.html", context)


@member_required
def charts(request):
    return render(request, "reports/charts.html", {"charts": chart_builders.all_charts(request.user)})
