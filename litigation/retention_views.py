"""Pages of retention: cases due for anonymisation (coordinators), extensions, personal data archives."""

import datetime

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import coordinator_required
from cases.models import Case, Person
from litigation import archives, retention
from litigation.enums import ArchiveStatus
from litigation.models import PersonArchive


class RetentionExtendForm(forms.Form):
    until = forms.DateField(label=gettext_lazy("Conserver jusqu'au"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=gettext_lazy("Raison"), max_length=300)

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until <= timezone.localdate():
            raise forms.ValidationError(_("Choisissez une date à venir."))
        return until


@coordinator_required
def retention_list(request):
    today = timezone.localdate()
    rows = retention.retention_rows(
        Case.objects.visible_to(request.user), until=today + datetime.timedelta(days=retention.WARNING_DAYS)
    )
    return render(
        request,
        "litigation/retention_list.html",
        {"rows": rows, "today": today, "form": RetentionExtendForm(), "warning_days": retention.WARNING_DAYS},
    )


@coordinator_required
@require_POST
def retention_extend(request, pk):
    case = get_object_or_404(Case.objects.visible_to(request.user).filter(closed_at__isnull=False), pk=pk)
    form = RetentionExtendForm(request.POST)
    if form.is_valid():
        retention.retention_extend(case=case, user=request.user, request=request, **form.cleaned_data)
        messages.success(
            request,
            _("Conservation du dossier n°%(id)s prolongée jusqu'au %(date)s.")
            % {"id": case.pk, "date": form.cleaned_data["until"].strftime("%d/%m/%Y")},
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("litigation:retention")


@coordinator_required
def person_archives(request, pk):
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    if request.method == "POST":
        _archive, mode = archives.person_archive_request(person=person, user=request.user, request=request)
        if mode == "queued":
            messages.success(request, _("L'archive est en préparation : rechargez cette page dans un instant."))
        else:
            messages.success(request, _("L'archive est prête."))
        return redirect("litigation:person_archives", pk=person.pk)
    return render(
        request,
        "litigation/person_archives.html",
        {"person": person, "archives": PersonArchive.objects.filter(person=person, expires_at__gt=timezone.now())},
    )


@coordinator_required
def person_archive_download(request, pk):
    archive = get_object_or_404(
        PersonArchive.objects.filter(person__in=Person.objects.visible_to(request.user), expires_at__gt=timezone.now()),
        pk=pk,
    )
    if archive.status != ArchiveStatus.DONE or not archive.file:
        raise Http404
    archives.person_archive_download_audit(archive=archive, user=request.user, request=request)
    return FileResponse(
        archive.file.open("rb"), as_attachment=True, filename=f"donnees-personne-{archive.person_id}.zip"
    )
