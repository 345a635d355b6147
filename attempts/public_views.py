"""The person's own page, `/r/<token>/`: no account, phone-sized, in their language.

The token is the only credential: it is looked up by its SHA-256, never logged (see
attempts.log_redaction) nor written to the journal (the link's id is). The link reaches its own
case only, and the page shows nothing personal beyond the first name.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.services import client_ip
from attempts import ratelimit, services
from attempts.forms import SelfReportForm
from attempts.models import SelfReportLink
from attempts.uploads import limit_evidence_uploads

LANGUAGES = ("fr", "en", "ar")
RECENT_REPORTS = 5


def _language(request, link=None):
    chosen = request.GET.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return link.language if link is not None and link.language in LANGUAGES else "fr"


def _render(request, template, context, *, language, status=200):
    with translation.override(language):
        response = render(request, template, {**context, "language": language, "languages": LANGUAGES}, status=status)
    # The URL is a credential: never sent to another site, never cached, never indexed.
    # ("no-referrer" would make browsers send "Origin: null", which fails the CSRF check.)
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _unavailable(request, *, reason, language, status):
    return _render(request, "attempts/public/unavailable.html", {"reason": reason}, language=language, status=status)


# Not one transaction: the evidence is checked and written before the service's own short
# transaction (attempts.services.self_report_submit), not while holding SQLite's write lock.
@transaction.non_atomic_requests
@login_not_required
@limit_evidence_uploads
def report(request, token):
    ip_key = f"selfreport-unknown:{client_ip(request)}"
    language = _language(request)
    # Guessing tokens: once an address has tried too many unknown ones, every token is refused
    # for the rest of the minute (so the answer says nothing about which tokens exist).
    if ratelimit.count(ip_key) >= settings.SELF_REPORT_UNKNOWN_PER_MINUTE:
        return _unavailable(request, reason="rate", language=language, status=429)
    link = (
        SelfReportLink.objects.select_related("case__person", "case__prefecture")
        .filter(token_hash=services.token_hash(token))
        .first()
    )
    if link is None:
        ratelimit.hit(ip_key)
        return _unavailable(request, reason="unknown", language=language, status=404)
    language = _language(request, link)
    if link.revoked_at is not None or link.case.deleted_at is not None:
        return _unavailable(request, reason="revoked", language=language, status=410)
    if link.is_expired:
        return _unavailable(request, reason="expired", language=language, status=410)

    with translation.override(language):
        return _report_page(request, link, language)


def _report_page(request, link, language):
    form = SelfReportForm()
    status = 200
    if request.method == "POST":
        if ratelimit.hit(f"selfreport-link:{link.pk}") > settings.SELF_REPORT_POSTS_PER_MINUTE:
            return _unavailable(request, reason="rate", language=language, status=429)
        form = SelfReportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                attempt = services.self_report_submit(link=link, files=form.cleaned_data["files"], request=request)
            except ValidationError as error:
                form.add_error("files", error.messages)
                status = 400
            except PermissionDenied:
                return _unavailable(request, reason="expired", language=language, status=410)
            else:
                moment = timezone.localtime(attempt.moment)
                messages.success(
                    request,
                    _("Reçu le %(date)s à %(time)s (heure de Paris). Merci : c'est enregistré.")
                    % {"date": moment.strftime("%d/%m/%Y"), "time": moment.strftime("%H:%M:%S")},
                )
                return redirect(f"{request.path}?lang={language}")
        else:
            status = 400
    recent = link.attempts.order_by("-moment")[:RECENT_REPORTS]
    return _render(
        request,
        "attempts/public/report.html",
        {"link": link, "first_name": link.case.person.first_name, "form": form, "recent": recent},
        language=language,
        status=status,
    )
