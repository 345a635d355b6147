"""Delete (to the bin) and restore: coordinators delete, org admins restore within 30 days."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import coordinator_required, org_admin_required
from cases import bin, selectors


class DeleteForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motif de la suppression"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Visible dans la corbeille et le journal d'audit."),
    )


def _bin_error_message(error: bin.BinError) -> str:
    reason = str(error)
    if reason == "too late":
        return _("Le délai de restauration de %(days)s jours est dépassé.") % {"days": bin.RESTORE_DAYS}
    if reason == "person deleted":
        return _("La personne de ce dossier est dans la corbeille : restaurez d'abord la personne.")
    return _("Cet élément est déjà dans la corbeille.")


@coordinator_required
def case_delete(request, pk):
    case = selectors.case_for_page(request.user, pk)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        bin.case_delete(case=case, by=request.user, reason=form.cleaned_data["reason"], request=request)
        messages.success(
            request,
            _("Dossier placé dans la corbeille. Un·e administrateur·rice peut le restaurer pendant %(days)s jours.")
            % {"days": bin.RESTORE_DAYS},
        )
        return redirect("cases:list")
    return render(request, "cases/delete_confirm.html", {"case": case, "form": form, "what": "case"})


@coordinator_required
def person_delete(request, pk):
    case = selectors.case_for_page(request.user, pk)
    person = case.person
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        bin.person_delete(person=person, by=request.user, reason=form.cleaned_data["reason"], request=request)
        messages.success(
            request,
            _(
                "Personne et dossiers placés dans la corbeille. Un·e administrateur·rice peut les restaurer "
                "pendant %(days)s jours."
            )
            % {"days": bin.RESTORE_DAYS},
        )
        return redirect("cases:list")
    cases = selectors.cases_for_list(request.user).filter(person=person)
    return render(request, "cases/delete_confirm.html", {"case": case, "form": form, "what": "person", "cases": cases})


@org_admin_required
def bin_list(request):
    people, cases = bin.bin_entries(request.user)
    return render(request, "cases/bin.html", {"people": people, "cases": cases, "restore_days": bin.RESTORE_DAYS})


@org_admin_required
@require_POST
def case_restore(request, pk):
    case = get_object_or_404(bin.deleted_cases(request.user), pk=pk)
    try:
        bin.case_restore(case=case, by=request.user, request=request)
    except bin.BinError as error:
        messages.error(request, _bin_error_message(error))
        return redirect("cases:bin")
    messages.success(request, _("Dossier restauré."))
    return redirect("cases:detail", pk=case.pk)


@org_admin_required
@require_POST
def person_restore(request, pk):
    person = get_object_or_404(bin.deleted_people(request.user), pk=pk)
    try:
        bin.person_restore(person=person, by=request.user, request=request)
    except bin.BinError as error:
        messages.error(request, _bin_error_message(error))
    else:
        messages.success(request, _("Personne et dossiers restaurés."))
    return redirect("cases:bin")
