"""Organisation security for admins: 2FA policy, locked accounts, the audit journal."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import lockout, selectors, services
from accounts.enums import AuditAction
from accounts.filters import AuditEventFilter
from accounts.forms import OrganisationSecurityForm
from accounts.models import AuditEvent
from accounts.permissions import org_admin_required
from config.csv_export import csv_response, dialect_from_request

AUDIT_PAGE_SIZE = 50


@org_admin_required
def security_settings(request):
    organisation = request.user.organisation
    form = OrganisationSecurityForm(
        request.POST if request.method == "POST" else None,
        initial={"require_2fa_for_all": organisation.require_2fa_for_all},
    )
    if request.method == "POST" and form.is_valid():
        services.organisation_security_update(
            organisation=organisation,
            require_2fa_for_all=form.cleaned_data["require_2fa_for_all"],
            changed_by=request.user,
            request=request,
        )
        messages.success(request, _("Paramètres de sécurité enregistrés."))
        return redirect("accounts:security")
    return render(
        request,
        "accounts/security.html",
        {"form": form, "locked": lockout.locked_accounts(organisation)},
    )


@org_admin_required
@require_POST
def account_unlock(request, pk):
    user = get_object_or_404(selectors.users_of_organisation(request.user.organisation), pk=pk)
    lockout.account_unlock(user=user, request=request)
    messages.success(request, _("Compte %(email)s débloqué.") % {"email": user.email})
    return redirect("accounts:security")


def _audit_events(request):
    organisation = request.user.organisation
    queryset = AuditEvent.objects.filter(organisation=organisation).select_related("actor")
    return AuditEventFilter(request.GET or None, queryset=queryset, organisation=organisation)


@org_admin_required
def audit_journal(request):
    events = _audit_events(request)
    page = Paginator(events.qs, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_journal.html",
        {"filter": events, "page": page, "query": query.urlencode()},
    )


@org_admin_required
def audit_export(request):
    events = _audit_events(request)
    dialect = dialect_from_request(request)
    filters = {key: value for key, value in request.GET.items() if key in events.filters and value}
    services.audit_record(action=AuditAction.EXPORT, request=request, details={"export": "audit", **filters})
    header = [
        _("Date"),
        _("Utilisateur·rice"),
        _("Action"),
        _("Objet"),
        _("Identifiant"),
        _("N° de dossier"),
        _("Adresse IP"),
        _("Détails"),
    ]
    rows = (
        (
            event.at,
            event.actor_label,
            event.get_action_display(),
            event.object_type,
            event.object_id,
            event.case_id,
            event.ip_address,
            _details_text(event.details),
        )
        for event in events.qs.iterator(chunk_size=2000)
    )
    return csv_response(filename="journal-audit.csv", header=header, rows=rows, dialect=dialect)


def _details_text(details) -> str:
    return "; ".join(f"{key}={value}" for key, value in sorted((details or {}).items()))
