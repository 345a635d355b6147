from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.permissions import member_required
from attempts.models import Attempt
from config.csv_export import csv_bytes_response, dialect_from_request
from litigation.models import DefenderReferral, LitigationAction
from reports import chart_builders, columns, selectors, services
from reports.exports import KINDS, ExportFilterError, ExportStream, export_filename, filter_params
from reports.filters import AttemptExportFilter, AttemptPeriodFilter, LitigationExportFilter, ReferralExportFilter
from reports.models import ExportJob


@member_required
def dashboard(request):
    """Coordinators: every team of the organisation. Caseworkers: their cases and their teams."""
    user = request.user
    context = {
        "metrics": selectors.metrics(),
        "rows": selectors.dashboard_rows(user),
        "not_executed": selectors.orders_not_executed_rows(user),
        "load": selectors.caseworker_load(user) if user.is_coordinator else None,
        "most_urgent": selectors.most_urgent_cases(user),
        "queue": selectors.litigation_queue(user),
        "stale": selectors.stale_cases(user),
    }
    return render(request, "reports/dashboard.html", context)


@member_required
def charts(request):
    return render(request, "reports/charts.html", {"charts": chart_builders.all_charts(request.user)})


def export(request, kind_key: str):
    """Stream the export, or hand it to a job above EXPORT_ASYNC_THRESHOLD rows. Always audited."""
    kind = KINDS[kind_key]
    pseudonymise = request.GET.get("pseudonymise") == "1"
    dialect = dialect_from_request(request)
    try:
        queryset = kind.build(request)
    except ExportFilterError as error:
        return HttpResponseBadRequest(
            _("Filtres invalides : %(errors)s") % {"errors": error.errors.as_text()}, content_type="text/plain"
        )
    filters = filter_params(request.GET)
    count = queryset.count()
    if count > settings.EXPORT_ASYNC_THRESHOLD:
        services.export_job_create(
            owner=request.user, kind=kind.key, params=filters, dialect=dialect.name, pseudonymise=pseudonymise
        )
        messages.info(
            request,
            _("L'export de %(count)s lignes est en préparation : il apparaîtra ici dès qu'il sera prêt.")
            % {"count": count},
        )
        return redirect("reports:export_list")
    services.export_audit(
        user=request.user,
        request=request,
        kind=kind.key,
        filters=filters,
        rows=count,
        dialect=dialect.name,
        pseudonymise=pseudonymise,
    )
    selected = columns.columns_for(kind.columns, pseudonymise=pseudonymise)
    return csv_bytes_response(
        filename=export_filename(kind, pseudonymise=pseudonymise), content=ExportStream(queryset, selected, dialect)
    )


@member_required
def cases_export(request):
    return export(request, "cases")


@member_required
def attempts_export(request):
    return export(request, "attempts")


@member_required
def saturation_export(request):
    return export(request, "saturation")


@member_required
def litigation_export(request):
    return export(request, "litigation")


@member_required
def referrals_export(request):
    return export(request, "referrals")


def _prefixed(filterset_class, model, request, prefix):
    filterset = filterset_class(None, queryset=model.objects.none(), request=request)
    filterset.form.auto_id = prefix + "_%s"  # several forms on the page: distinct ids
    return filterset


@member_required
def export_list(request):
    """The user's own background exports, and the forms to start the exports without a list page."""
    saturation_filter = AttemptPeriodFilter(None, queryset=Attempt.objects.none(), request=request)
    saturation_filter.form.auto_id = "saturation_%s"  # two forms on the page: distinct ids
    return render(
        request,
        "reports/export_list.html",
        {
            "jobs": ExportJob.objects.filter(owner=request.user),
            "attempts_filter": AttemptExportFilter(None, queryset=Attempt.objects.none(), request=request),
            "saturation_filter": saturation_filter,
            "litigation_filter": _prefixed(LitigationExportFilter, LitigationAction, request, "litigation"),
            "referrals_filter": _prefixed(ReferralExportFilter, DefenderReferral, request, "referrals"),
            "retention_hours": settings.EXPORT_RETENTION_HOURS,
        },
    )


@member_required
def export_download(request, pk: int):
    job = get_object_or_404(ExportJob.objects.filter(owner=request.user, status=ExportJob.Status.READY), pk=pk)
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "no-store, private"
    return response


@member_required
def export_columns(request):
    docs = [(kind, kind.columns) for kind in KINDS.values()]
    return render(request, "reports/export_columns.html", {"docs": docs})
