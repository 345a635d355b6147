from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.enums import AuditAction
from accounts.permissions import member_required
from accounts.services import audit_record
from cases import selectors


@member_required
def case_list(request):
    page = Paginator(selectors.cases_for_list(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "cases/case_list.html", {"page": page})


@member_required
def case_detail(request, pk):
    case = selectors.case_for_page(request.user, pk)
    audit_record(action=AuditAction.CASE_VIEW, request=request, obj=case, case_id=case.pk)
    return render(request, "cases/case_detail.html", {"case": case})
