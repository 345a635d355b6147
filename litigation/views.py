from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import member_required, org_admin_required
from litigation import selectors, services
from litigation.documents.context import case_document_data
from litigation.documents.letters import default_narrative, default_summary, email_text
from litigation.enums import DocumentKind, DocumentStatus
from litigation.forms import (
    ComplaintForm,
    DefenderReferralForm,
    DossierForm,
    LetterForm,
    LitigationActionForm,
    PlaceForm,
    QueueFilterForm,
    ReadinessPolicyForm,
)
from litigation.models import ReadinessPolicy

DOCUMENT_FORMS = {
    DocumentKind.APPOINTMENT_LETTER: LetterForm,
    DocumentKind.ATTEMPT_LOG: PlaceForm,
    DocumentKind.REFERE_DOSSIER: DossierForm,
    DocumentKind.DEFENDER_COMPLAINT: ComplaintForm,
}


@member_required
def queues(request):
    # Freshness rule (see litigation/services.py): re-evaluate stale visible cases before listing.
    stale = selectors.stale_case_ids(request.user)
    if stale:
        services.readiness_refresh_many(stale)
    form = QueueFilterForm(request.GET, user=request.user, queue_choices=selectors.queue_choices())
    if not form.is_valid():
        # A team the user may not see, or an unknown queue: out of scope, like any other object.
        raise Http404
    team = form.cleaned_data["team"]
    queues = selectors.litigation_queues(
        request.user, team_id=team.pk if team else None, only=form.cleaned_data["queue"] or None
    )
    return render(request, "litigation/queues.html", {"queues": queues, "filter_form": form})


@org_admin_required
def policy_edit(request):
    organisation = request.user.organisation
    current = ReadinessPolicy.objects.current_for(organisation.pk)
    form = ReadinessPolicyForm(request.POST or None, instance=current if request.method == "GET" else None)
    if request.method == "GET":
        form.initial["change_note"] = ""
    stale = None
    if request.method == "POST" and form.is_valid():
        based_on = get_object_or_404(ReadinessPolicy, pk=request.POST.get("based_on"))
        try:
            policy = services.policy_update(
                organisation=organisation,
                based_on=based_on,
                data=form.policy_data(),
                change_note=form.cleaned_data["change_note"],
                user=request.user,
                request=request,
            )
        except services.StaleVersionError as exc:
            stale = exc
        else:
            messages.success(
                request,
                _("Version %(version)s enregistrée ; les dossiers vont être réévalués.") % {"version": policy.version},
            )
            return redirect("litigation:policy")
    history = ReadinessPolicy.objects.filter(Q(organisation=organisation) | Q(organisation__isnull=True))
    return render(
        request,
        "litigation/policy_form.html",
        {
            "form": form,
            "current": current,
            "history": history.select_related("created_by").order_by("-version"),
            "stale": stale,
        },
    )


def _versioned_edit(request, *, form, save, template, case, title):
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except services.StaleVersionError as exc:
            stale = exc
        else:
            messages.success(request, _("Enregistré."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, template, {"form": form, "case": case, "title": title, "stale": stale})


@member_required
def action_create(request, case_pk):
    case = selectors.case_for_user(request.user, case_pk)
    form = LitigationActionForm(request.POST or None, initial={"court": case.prefecture.tribunal_administratif})

    def save(form):
        services.litigation_action_create(case=case, data=form.data_fields(), user=request.user, request=request)

    return _versioned_edit(
        request, form=form, save=save, template="litigation/object_form.html", case=case, title=_("Nouveau recours")
    )


@member_required
def action_edit(request, pk):
    action = get_object_or_404(selectors.actions_for_user(request.user).select_related("case__person"), pk=pk)
    form = LitigationActionForm(request.POST or None, instance=action)

    def save(form):
        services.litigation_action_update(
            action=action,
            data=form.data_fields(),
            expected_version=form.cleaned_data["version"],
            user=request.user,
            request=request,
        )

    return _versioned_edit(
        request, form=form, save=save, template="litigation/object_form.html", case=action.case, title=str(action)
    )


@member_required
def referral_create(request, case_pk):
    case = selectors.case_for_user(request.user, case_pk)
    form = DefenderReferralForm(request.POST or None)

    def save(form):
        services.defender_referral_create(case=case, data=form.data_fields(), user=request.user, request=request)

    return _versioned_edit(
        request,
        form=form,
        save=save,
        template="litigation/object_form.html",
        case=case,
        title=_("Nouvelle saisine du Défenseur des droits"),
    )


@member_required
def referral_edit(request, pk):
    referral = get_object_or_404(selectors.referrals_for_user(request.user).select_related("case__person"), pk=pk)
    form = DefenderReferralForm(request.POST or None, instance=referral)

    def save(form):
        services.defender_referral_update(
            referral=referral,
            data=form.data_fields(),
            expected_version=form.cleaned_data["version"],
            user=request.user,
            request=request,
        )

    return _versioned_edit(
        request, form=form, save=save, template="litigation/object_form.html", case=referral.case, title=str(referral)
    )


@member_required
def case_documents(request, case_pk):
    """The documents of a case: proposed texts to edit, then one button per document."""
    case = selectors.case_for_user(request.user, case_pk)
    data = case_document_data(case)
    forms = {
        DocumentKind.APPOINTMENT_LETTER: LetterForm(prefix="letter"),
        DocumentKind.ATTEMPT_LOG: PlaceForm(prefix="log"),
        DocumentKind.REFERE_DOSSIER: DossierForm(prefix="dossier", initial={"summary": default_summary(data)}),
        DocumentKind.DEFENDER_COMPLAINT: ComplaintForm(
            prefix="complaint", initial={"narrative": default_narrative(data)}
        ),
    }
    delay = LetterForm(request.GET, prefix="letter")
    delay_days = delay.cleaned_data["delay_days"] if delay.is_valid() else LetterForm.base_fields["delay_days"].initial
    return render(
        request,
        "litigation/case_documents.html",
        {
            "case": case,
            "data": data,
            "forms": [(kind, DocumentKind(kind).label, form) for kind, form in forms.items()],
            "email_text": email_text(data, delay_days=delay_days),
            "delay_days": delay_days,
            "documents": case.generated_documents.select_related("created_by").order_by("-created_at", "-id")[:30],
        },
    )


PREFIXES = {
    DocumentKind.APPOINTMENT_LETTER: "letter",
    DocumentKind.ATTEMPT_LOG: "log",
    DocumentKind.REFERE_DOSSIER: "dossier",
    DocumentKind.DEFENDER_COMPLAINT: "complaint",
}


@member_required
@require_POST
def document_request(request, case_pk, kind):
    case = selectors.case_for_user(request.user, case_pk)
    if kind not in DOCUMENT_FORMS:
        raise Http404
    form = DOCUMENT_FORMS[kind](request.POST, prefix=PREFIXES[kind])
    if not form.is_valid():
        messages.error(
            request, _("Le formulaire contient des erreurs : %(errors)s") % {"errors": form.errors.as_text()}
        )
        return redirect("litigation:case_documents", case_pk=case.pk)
    document = services.document_request(
        case=case, kind=kind, options=form.options(), user=request.user, request=request
    )
    return redirect("litigation:document", pk=document.pk)


def _document(request, pk):
    return get_object_or_404(selectors.documents_for_user(request.user).select_related("case__person"), pk=pk)


@member_required
def document_detail(request, pk):
    document = _document(request, pk)
    return render(request, "litigation/document_detail.html", {"document": document, "case": document.case})


@member_required
def document_status(request, pk):
    """htmx partial polled every second while the build runs (no inline script)."""
    document = _document(request, pk)
    return render(request, "litigation/includes/document_status.html", {"document": document})


@member_required
@require_POST
def document_retry(request, pk):
    document = _document(request, pk)
    if document.status == DocumentStatus.DONE:
        return redirect("litigation:document", pk=document.pk)
    services.document_retry(document=document, user=request.user, request=request)
    return redirect("litigation:document", pk=document.pk)


def _serve(request, document, field, part, filename, content_type):
    if document.status != DocumentStatus.DONE or not getattr(document, field):
        raise Http404
    services.document_download_record(document=document, user=request.user, part=part, request=request)
    response = FileResponse(
        getattr(document, field).open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@member_required
def document_download(request, pk):
    document = _document(request, pk)
    name = f"{document.kind}-dossier{document.case_id}-{document.pk}.pdf"
    return _serve(request, document, "file", "pdf", name, "application/pdf")


@member_required
def document_archive(request, pk):
    document = _document(request, pk)
    name = f"pieces-dossier{document.case_id}-{document.pk}.zip"
    return _serve(request, document, "archive", "zip", name, "application/zip")
