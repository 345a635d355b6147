"""Caseworker and coordinator views of the attempts app. Every read starts from the scope rule."""

import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.enums import AuditAction
from accounts.permissions import coordinator_required, member_required, org_admin_required
from accounts.services import audit_record
from attempts import saturation, selectors, services
from attempts.forms import AttemptCorrectionForm, AttemptForm, EvidenceDeleteForm, SelfReportLinkForm
from attempts.models import SelfReportLink
from attempts.uploads import limit_evidence_uploads
from cases.models import Case


def _case_for(user, case_id):
    return get_object_or_404(Case.objects.visible_to(user).select_related("prefecture", "person", "team"), pk=case_id)


def _case_url(case):
    return reverse("cases:detail", args=[case.pk]) + "#attempts"


def _add_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error("files" if "files" in form.fields else None, error.messages)


# Not one transaction: the evidence is checked, hashed, thumbnailed and written before the
# service's own transaction (attempts.services.attempt_record), which only inserts the rows.
@transaction.non_atomic_requests
@limit_evidence_uploads
@member_required
@require_POST
def attempt_create(request, case_id):
    """The case page's one form. Errors come back on a page of their own (works without JS)."""
    case = _case_for(request.user, case_id)
    form = AttemptForm(request.POST, request.FILES, case=case)
    if form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("files")
        try:
            attempt = services.attempt_record(case=case, recorded_by=request.user, files=files, request=request, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            count = attempt.evidence_count
            messages.success(
                request,
                _("Tentative du %(moment)s enregistrée (%(count)d preuve(s)).")
                % {"moment": _paris(attempt.moment), "count": count},
            )
            return redirect(_case_url(case))
    return render(request, "attempts/attempt_form_page.html", {"case": case, "form": form}, status=400)


def _paris(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


@member_required
def attempt_correct(request, pk):
    attempt = selectors.attempt_for_user(request.user, pk)
    form = AttemptCorrectionForm(request.POST or None, instance=attempt)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version, reason = data.pop("version"), data.pop("reason")
        try:
            services.attempt_correct(
                attempt=attempt, version=version, corrected_by=request.user, reason=reason, request=request, **data
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Correction enregistrée ; l'ancienne version reste dans l'historique."))
            return redirect(_case_url(attempt.case))
    revisions = attempt.revisions.select_related("changed_by")
    return render(
        request,
        "attempts/attempt_correct.html",
        {"attempt": attempt, "case": attempt.case, "form": form, "revisions": revisions},
    )


def _serve(request, evidence, *, thumbnail: bool):
    stored = evidence.thumbnail if thumbnail else evidence.file
    if not stored:
        raise Http404
    audit_record(
        action=AuditAction.EVIDENCE_VIEW,
        request=request,
        obj=evidence,
        case_id=evidence.attempt.case_id,
        details={"variant": "thumbnail" if thumbnail else "original", "sha256": evidence.sha256},
    )
    content_type = "image/jpeg" if thumbnail else evidence.content_type
    # Only images that passed the content checks (and their re-encoded thumbnails) open in the
    # browser; PDFs and emails are always downloaded.
    inline = thumbnail or evidence.is_image
    response = FileResponse(
        stored.open("rb"),
        content_type=content_type,
        as_attachment=not inline,
        filename=evidence.original_name if not thumbnail else f"miniature-{evidence.short_hash}.jpg",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # A file opened on its own runs nothing, even if a reader were fooled about its type.
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; object-src 'none'; frame-ancestors 'none'; sandbox"
    )
    return response


@member_required
def evidence_file(request, pk):
    return _serve(request, selectors.evidence_for_user(request.user, pk), thumbnail=False)


@member_required
def evidence_thumbnail(request, pk):
    return _serve(request, selectors.evidence_for_user(request.user, pk), thumbnail=True)


@org_admin_required
def evidence_delete(request, pk):
    evidence = selectors.evidence_for_user(request.user, pk)
    form = EvidenceDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.evidence_delete(
            evidence=evidence, deleted_by=request.user, reason=form.cleaned_data["reason"], request=request
        )
        messages.success(request, _("Preuve supprimée. Son empreinte et le motif restent au journal."))
        return redirect(_case_url(evidence.attempt.case))
    return render(
        request,
        "attempts/evidence_delete.html",
        {"evidence": evidence, "case": evidence.attempt.case, "form": form},
    )


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    # Drop the XML declaration and the fixed size: the CSS sizes the code for screen and print.
    svg = svg[svg.index("<svg") :]
    return svg.replace('width="', 'data-w="', 1).replace('height="', 'data-h="', 1)


@member_required
@require_POST
def self_report_link_create(request, case_id):
    """Shows the new link and its QR code once (the token is not kept, only its hash)."""
    case = _case_for(request.user, case_id)
    form = SelfReportLinkForm(request.POST)
    language = form.cleaned_data["language"] if form.is_valid() else "fr"
    link, token = services.self_report_link_create(
        case=case, created_by=request.user, language=language, request=request
    )
    url = request.build_absolute_uri(reverse("selfreport:report", args=[token]))
    response = render(
        request,
        "attempts/self_report_link_created.html",
        # The SVG is built here from our own QR encoder's output, never from user input.
        {"case": case, "link": link, "url": url, "qr_svg": mark_safe(_qr_svg(url))},  # noqa: S308
    )
    response["Cache-Control"] = "no-store"
    return response


@member_required
@require_POST
def self_report_link_revoke(request, pk):
    link = get_object_or_404(SelfReportLink.objects.visible_to(request.user), pk=pk)
    services.self_report_link_revoke(link=link, revoked_by=request.user, request=request)
    messages.success(request, _("Lien personnel révoqué : il ne permet plus de signaler une tentative."))
    return redirect(_case_url(link.case))


@coordinator_required
def saturation_view(request):
    try:
        weeks = min(max(int(request.GET.get("weeks", 12)), 1), 104)
    except ValueError:
        weeks = 12
    return render(
        request,
        "attempts/saturation.html",
        {
            "weeks": weeks,
            "week_rows": saturation.saturation_weeks(request.user, weeks=weeks),
            "summary": saturation.saturation_summary(request.user),
        },
    )
