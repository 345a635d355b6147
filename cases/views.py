from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.enums import AuditAction
from accounts.permissions import member_required, org_admin_required
from accounts.services import audit_record
from cases import selectors, services
from cases.duplicates import find_duplicates
from cases.enums import CaseStatus
from cases.filters import SCOPE_MINE, SCOPE_TEAMS, CaseFilter, default_scope
from cases.forms import CaseForm, DocumentForm, HarmForm, NewCaseForm, PersonForm, StatusForm
from cases.locking import StaleVersionError
from cases.models import Person
from cases.workflow import allowed_transitions

PAGE_SIZE = 50


def _stale(form, error: StaleVersionError):
    """Show what changed and let the editor re-submit knowingly against the current version."""
    form.add_error(None, error.message())
    data = form.data.copy()
    data["version"] = error.current_version
    form.data = data


def _form_errors_to(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@member_required
def case_list(request):
    data = request.GET.copy()
    data.setdefault("scope", default_scope(request.user))
    case_filter = CaseFilter(data, queryset=selectors.cases_for_list(request.user), request=request)
    page = Paginator(case_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = data.copy()
    query.pop("page", None)
    tabs = [(SCOPE_MINE, _("Mes dossiers")), (SCOPE_TEAMS, _("Dossiers de mes équipes"))]
    tab_links = []
    for value, label in tabs:
        tab_query = query.copy()
        tab_query["scope"] = value
        tab_links.append({"label": label, "query": tab_query.urlencode(), "current": data["scope"] == value})
    return render(
        request,
        "cases/case_list.html",
        {"filter": case_filter, "page": page, "query": query.urlencode(), "tabs": tab_links},
    )


@member_required
def case_detail(request, pk):
    case = selectors.case_for_page(request.user, pk)
    audit_record(action=AuditAction.CASE_VIEW, request=request, obj=case, case_id=case.pk)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "milestones": selectors.case_milestones(case),
            "history": selectors.case_history(case),
            "status_form": StatusForm(case=case),
            "can_change_status": bool(allowed_transitions(case.status)),
        },
    )


@member_required
def case_edit(request, pk):
    case = selectors.case_for_page(request.user, pk)
    form = CaseForm(request.POST or None, instance=case, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        # The ModelForm wrote into `case` while validating: the service reads the stored row itself.
        try:
            services.case_update(
                case=case,
                changes=form.changes(),
                version=form.cleaned_data["version"],
                by=request.user,
                request=request,
            )
        except StaleVersionError as error:
            _stale(form, error)
        else:
            messages.success(request, _("Dossier enregistré."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"case": case, "form": form})


@member_required
@require_POST
def case_status(request, pk):
    case = selectors.case_for_page(request.user, pk)
    form = StatusForm(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, _("Choisissez un statut dans la liste."))
        return redirect("cases:detail", pk=case.pk)
    target = form.cleaned_data["status"]
    try:
        services.case_change_status(
            case=case, status=target, version=form.cleaned_data["version"], by=request.user, request=request
        )
    except services.TransitionError:
        messages.error(
            request,
            _("Impossible de passer un dossier de « %(current)s » à « %(target)s ».")
            % {"current": case.get_status_display(), "target": CaseStatus(target).label},
        )
    except StaleVersionError as error:
        messages.error(request, error.message())
    else:
        messages.success(request, _("Statut mis à jour : %(status)s.") % {"status": CaseStatus(target).label})
    return redirect("cases:detail", pk=case.pk)


@member_required
def person_edit(request, pk):
    case = selectors.case_for_page(request.user, pk)
    person = selectors.person_for_edit(request.user, case.person_id)
    form = PersonForm(request.POST or None, instance=person, initial={"version": person.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                person=person,
                changes=form.changes(),
                version=form.cleaned_data["version"],
                by=request.user,
                request=request,
            )
        except StaleVersionError as error:
            _stale(form, error)
        except ValidationError as error:
            _form_errors_to(form, error)
        else:
            messages.success(request, _("Fiche de la personne enregistrée."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/person_form.html", {"case": case, "form": form})


@member_required
def document_edit(request, pk, document_pk=None):
    case = selectors.case_for_page(request.user, pk)
    document = None
    if document_pk is not None:
        document = get_object_or_404(case.person.documents.all(), pk=document_pk)
    form = DocumentForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_save(
                case=case, fields=form.fields_dict(), document=document, by=request.user, request=request
            )
        except ValidationError as error:
            _form_errors_to(form, error)
        else:
            messages.success(request, _("Document enregistré ; les échéances sont recalculées."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/document_form.html", {"case": case, "form": form, "document": document})


@member_required
def harm_new(request, pk):
    case = selectors.case_for_page(request.user, pk)
    form = HarmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.harm_add(case=case, by=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("Préjudice enregistré."))
        return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/harm_form.html", {"case": case, "form": form})


# --- creating a case ---------------------------------------------------------------------------


def _duplicates_for(request, data):
    """Likely duplicates in the organisation; only people in the user's scope can be opened or used."""
    form = NewCaseForm(data, user=request.user)
    form.is_valid()
    cleaned = form.cleaned_data
    if not (cleaned.get("last_name") or "").strip():
        return []
    found = find_duplicates(
        organisation_id=request.user.organisation_id,
        last_name=cleaned.get("last_name", ""),
        first_name=cleaned.get("first_name", ""),
        birth_date=cleaned.get("birth_date"),
        foreigner_number=cleaned.get("foreigner_number", ""),
    )
    visible = set(
        Person.objects.visible_to(request.user).filter(pk__in=[d.person.pk for d in found]).values_list("pk", flat=True)
    )
    return [{"duplicate": d, "visible": d.person.pk in visible} for d in found]


@member_required
def case_new(request):
    data = request.POST if request.method == "POST" else None
    if data is not None and data.get("use_person"):
        data = data.copy()
        data["person"] = data["use_person"]
    initial = {"team": request.user.team_ids()[0] if request.user.team_ids() else None}
    form = NewCaseForm(data, user=request.user, initial=initial)
    duplicates = []
    person_query = (data or request.GET).get("person_q", "")
    if data is not None and data.get("action") != "search" and form.is_valid():
        person = form.picked_person
        if person is None and not form.cleaned_data["confirm_new"]:
            duplicates = _duplicates_for(request, data)
        if not duplicates:
            try:
                if person is None:
                    person = services.person_create(
                        team=form.cleaned_data["team"],
                        last_name=form.cleaned_data["last_name"],
                        by=request.user,
                        request=request,
                        **form.person_fields(),
                    )
                case = services.case_open(
                    person=person,
                    team=form.cleaned_data["team"],
                    procedure=form.cleaned_data["procedure"],
                    prefecture=form.cleaned_data["prefecture"],
                    uses_anef=form.cleaned_data["uses_anef"],
                    assignee=request.user,
                    document=form.document(),
                    by=request.user,
                    request=request,
                )
            except ValidationError as error:
                _form_errors_to(form, error)
            else:
                messages.success(request, _("Dossier ouvert."))
                return redirect("cases:detail", pk=case.pk)
    people = list(selectors.people_search(request.user, person_query))
    picked = form.picked_person if form.is_bound and form.is_valid() else None
    if picked is not None and picked not in people:
        people.insert(0, picked)
    return render(
        request,
        "cases/case_new.html",
        {
            "form": form,
            "duplicates": duplicates,
            "people": people,
            "person_query": person_query,
            "picked": picked.pk if picked else None,
        },
    )


@member_required
@require_GET
def people_search(request):
    """htmx: people in scope matching the picker's search box."""
    query = request.GET.get("person_q", "")
    return render(
        request,
        "cases/includes/person_results.html",
        {"people": selectors.people_search(request.user, query), "person_query": query, "picked": None},
    )


@member_required
@require_GET
def people_duplicates(request):
    """htmx: likely duplicates while the new person's fields are being typed."""
    return render(request, "cases/includes/duplicates.html", {"duplicates": _duplicates_for(request, request.GET)})


# --- merging two people (admins) -------------------------------------------------------------


@org_admin_required
def person_merge(request, pk):
    case = selectors.case_for_page(request.user, pk)
    keep = case.person
    candidates = [
        d.person
        for d in find_duplicates(
            organisation_id=keep.organisation_id,
            last_name=keep.last_name,
            first_name=keep.first_name,
            birth_date=keep.birth_date,
            foreigner_number=keep.foreigner_number,
            aliases=keep.aliases,
            exclude_pk=keep.pk,
            queryset=Person.objects.visible_to(request.user),
        )
    ]
    if request.method == "POST":
        remove = get_object_or_404(
            Person.objects.visible_to(request.user).exclude(pk=keep.pk), pk=request.POST.get("remove")
        )
        services.person_merge(keep=keep, remove=remove, by=request.user, request=request)
        messages.success(
            request,
            _("Fiches fusionnées : %(removed)s a été rattaché·e à %(kept)s.") % {"removed": remove, "kept": keep},
        )
        return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/person_merge.html", {"case": case, "keep": keep, "candidates": candidates})
