"""Import pages: upload -> mapping -> preview (with per-duplicate choices) -> commit -> result.

Coordinators and admins only; every batch is fetched through `ImportBatch.objects.visible_to`,
so another organisation's import is a 404.
"""

import django_rq
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from redis.exceptions import RedisError
from rq.exceptions import NoSuchJobError
from rq.job import Job

from accounts.enums import AuditAction
from accounts.permissions import coordinator_required
from accounts.services import audit_record
from attempts.imports import services
from attempts.imports.forms import MappingForm, UploadForm
from attempts.imports.mapping import FIELD_LABELS
from attempts.imports.messages import render as render_problem
from attempts.imports.models import ImportBatch, ImportedRow
from attempts.imports.preview import read_batch_file
from attempts.imports.reading import read_table
from cases.enums import DocumentKind, ProcedureType
from cases.models import Case
from config.csv_export import csv_response, get_dialect

PREVIEW_PAGE_SIZE = 100
REASONS = {
    "number": gettext_lazy("même numéro étranger"),
    "birth_name": gettext_lazy("même date de naissance et nom proche"),
}


def _batch(request, pk):
    return get_object_or_404(ImportBatch.objects.visible_to(request.user).select_related("team"), pk=pk)


@coordinator_required
def import_index(request):
    form = UploadForm(request.POST or None, request.FILES or None, organisation=request.user.organisation)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_batch_upload(
                by=request.user,
                team=form.cleaned_data["team"],
                name=upload.name,
                data=upload.read(),
                saved_mapping=form.cleaned_data["saved_mapping"],
            )
        except services.ImportRefused as error:
            form.add_error("file", str(error))
        else:
            return redirect("attempts:import_mapping", pk=batch.pk)
    batches = ImportBatch.objects.visible_to(request.user).select_related("team", "created_by")[:20]
    return render(request, "attempts/imports/index.html", {"form": form, "batches": batches})


def _samples(batch) -> list[str]:
    table = read_table(read_batch_file(batch))
    samples = []
    for index in range(len(batch.headers)):
        values = (cells[index] for _line, cells in table.rows if cells[index])
        samples.append(next(values, "")[:60])
    return samples


@coordinator_required
def import_mapping(request, pk):
    batch = _batch(request, pk)
    if batch.status not in (ImportBatch.Status.UPLOADED, ImportBatch.Status.PREVIEWED):
        return redirect("attempts:import_detail", pk=batch.pk)
    initial = {f"col_{i}": column for i, column in enumerate(batch.columns)}
    initial.update(
        default_prefecture=batch.defaults.get("prefecture"), default_procedure=batch.defaults.get("procedure")
    )
    form = MappingForm(request.POST or None, headers=batch.headers, samples=_samples(batch), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.import_batch_map(
                batch=batch,
                columns=form.columns(),
                defaults=form.defaults(),
                by=request.user,
                save_as=form.cleaned_data["save_as"],
            )
        except services.ImportRefused as error:
            form.add_error(None, str(error))
        else:
            return redirect("attempts:import_preview", pk=batch.pk)
    already = (
        ImportBatch.objects.visible_to(request.user)
        .filter(file_hash=batch.file_hash, status=ImportBatch.Status.DONE)
        .exclude(pk=batch.pk)
        .first()
    )
    return render(request, "attempts/imports/mapping.html", {"batch": batch, "form": form, "already": already})


def _decorate(entry: dict, choice: str) -> dict:
    """A preview row with its messages in the current language and its choice options labelled."""
    problems = [
        {"column": FIELD_LABELS.get(p["field"], p["field"]), "text": render_problem(p["code"], p["params"])}
        for p in entry["errors"]
    ]
    warnings = [
        {"column": FIELD_LABELS.get(p["field"], p["field"]), "text": render_problem(p["code"], p["params"])}
        for p in entry["warnings"]
    ]
    options = [("create", _("Créer une nouvelle personne"))]
    for found in entry["existing"]:
        reasons = ", ".join(str(REASONS[r]) for r in found["reasons"])
        options.append(
            (
                f"merge:{found['person']}",
                _("Ajouter à %(name)s, né·e le %(birth)s, déjà suivi·e (%(team)s) : %(reasons)s")
                % {
                    "name": found["label"],
                    "birth": found["birth_date"] or "?",
                    "team": found["team"],
                    "reasons": reasons,
                },
            )
        )
    for found in entry["in_file"]:
        reasons = ", ".join(str(REASONS[r]) for r in found["reasons"])
        options.append(
            (
                f"merge-line:{found['line']}",
                _("Même personne que la ligne %(line)s (%(reasons)s)") % {"line": found["line"], "reasons": reasons},
            )
        )
    options.append(("skip", _("Ne pas importer cette ligne")))
    return {
        **entry,
        "problems": problems,
        "warning_texts": warnings,
        "procedure_label": ProcedureType(entry["procedure"]).label if entry["procedure"] else "",
        "document_labels": [DocumentKind(kind).label for kind in entry["documents"]],
        "options": options,
        "choice": choice,
        "is_duplicate": bool(entry["existing"] or entry["in_file"]),
    }


@coordinator_required
def import_preview(request, pk):
    batch = _batch(request, pk)
    if batch.status not in (ImportBatch.Status.PREVIEWED, ImportBatch.Status.FAILED):
        return redirect(
            "attempts:import_detail" if batch.status != ImportBatch.Status.UPLOADED else "attempts:import_mapping",
            pk=batch.pk,
        )
    entries = batch.preview.get("rows", [])
    decorated = [_decorate(e, batch.choices.get(str(e["line"]), e["choice"])) for e in entries]
    errors = [e for e in decorated if e["status"] == "error"]
    duplicates = [e for e in decorated if e["status"] == "ok" and e["is_duplicate"]]
    page = Paginator(decorated, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "attempts/imports/preview.html",
        {
            "batch": batch,
            "summary": batch.preview.get("summary", {}),
            "errors": errors,
            "duplicates": duplicates,
            "page": page,
            "is_large": batch.rows_total > settings.IMPORT_ASYNC_ROWS,
        },
    )


@coordinator_required
@require_POST
def import_commit(request, pk):
    batch = _batch(request, pk)
    choices = {key[7:]: value for key, value in request.POST.items() if key.startswith("choice-")}
    try:
        services.import_batch_choose(batch=batch, choices=choices)
        result = services.import_batch_start(batch=batch, by=request.user, request=request)
    except services.ImportRefused as error:
        messages.error(request, str(error))
        return redirect("attempts:import_detail", pk=batch.pk)
    if result == "failed":
        messages.error(request, _("L'import a échoué : rien n'a été importé."))
    elif result == "queued":
        messages.info(request, _("Import lancé : suivez sa progression ci-dessous."))
    return redirect("attempts:import_detail", pk=batch.pk)


@coordinator_required
@require_POST
def import_discard(request, pk):
    batch = _batch(request, pk)
    if batch.status in (ImportBatch.Status.UPLOADED, ImportBatch.Status.PREVIEWED, ImportBatch.Status.FAILED):
        services.import_batch_discard(batch=batch)
        messages.info(request, _("Import abandonné : le fichier a été supprimé."))
    return redirect("attempts:import_index")


def _progress(batch) -> dict:
    done = total = None
    if batch.job_id:
        try:
            job = Job.fetch(batch.job_id, connection=django_rq.get_queue("default").connection)
            done, total = job.meta.get("done"), job.meta.get("total")
        except (NoSuchJobError, RedisError, OSError):
            pass
    percent = int(100 * done / total) if done is not None and total else 0
    return {"done": done, "total": total, "percent": percent}


@coordinator_required
def import_detail(request, pk):
    batch = _batch(request, pk)
    imported = (
        ImportedRow.objects.filter(batch=batch, case__in=Case.objects.visible_to(request.user))
        .select_related("case__person", "case__prefecture")
        .order_by("line")
    )
    page = Paginator(imported, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    errors = [_decorate(e, "skip") for e in services.error_rows(batch)]
    return render(
        request,
        "attempts/imports/detail.html",
        {"batch": batch, "page": page, "errors": errors, "progress": _progress(batch), "counts": batch.counts},
    )


@coordinator_required
def import_progress(request, pk):
    """htmx partial polled while a large import runs; a finished import sends the browser to its page."""
    batch = _batch(request, pk)
    response = render(
        request, "attempts/imports/includes/progress.html", {"batch": batch, "progress": _progress(batch)}
    )
    if batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED):
        response["HX-Refresh"] = "true"
    return response


@coordinator_required
def import_errors_csv(request, pk):
    """The rows in error with the reason per cell, to correct and import again (formula-safe)."""
    batch = _batch(request, pk)
    header = [_("Ligne"), _("Erreurs"), *batch.headers]
    rows = (
        [
            entry["line"],
            " ".join(
                f"[{FIELD_LABELS.get(p['field'], p['field'])}] {render_problem(p['code'], p['params'])}"
                for p in entry["errors"]
            ),
            *entry.get("cells", []),
        ]
        for entry in services.error_rows(batch)
    )
    stem = batch.original_name.rsplit(".", 1)[0]
    audit_record(
        action=AuditAction.EXPORT,
        request=request,
        obj=batch,
        details={"export": "import_errors", "rows": len(services.error_rows(batch))},
    )
    # The people who fix the file open it in a French spreadsheet: excel-fr unless asked otherwise.
    return csv_response(
        filename=f"{stem}-erreurs.csv",
        header=header,
        rows=rows,
        dialect=get_dialect(request.GET.get("dialect") or "excel-fr"),
    )
