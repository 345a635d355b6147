"""Pages of the reminders area: the user's notifications, their preferences, a case's snooze."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import member_required
from cases.models import Case
from litigation import notifications
from litigation.enums import NotificationKind
from litigation.models import DigestPreference, Notification
from litigation.notification_forms import CaseSnoozeForm, DigestPreferenceForm


@member_required
def notification_list(request):
    # The user's own reminders, on cases they can still see (a reassigned case drops out).
    visible = Notification.objects.filter(user=request.user, case__in=Case.objects.visible_to(request.user))
    show = request.GET.get("show", "unread")
    if show == "unread":
        visible = visible.filter(read_at__isnull=True)
    page = Paginator(
        visible.select_related("case__person", "case__prefecture").order_by("-day", "kind", "case_id", "id"), 50
    ).get_page(request.GET.get("page"))
    for notification in page:
        notification.case_text = notifications.case_label(notification.case)
    return render(request, "litigation/notification_list.html", {"page": page, "show": show})


@member_required
@require_POST
def notification_mark_read(request):
    ids = None if request.POST.get("all") else [int(i) for i in request.POST.getlist("notification") if i.isdigit()]
    count = notifications.notifications_mark_read(user=request.user, notification_ids=ids)
    messages.success(request, _("%(count)s notification(s) marquée(s) comme lue(s).") % {"count": count})
    return redirect("litigation:notifications")


@member_required
def notification_preferences(request):
    preference = DigestPreference.objects.filter(user=request.user).first()
    initial = {
        "kinds": [k for k in NotificationKind.values if not preference or k not in preference.disabled_kinds],
        "paused": preference.paused if preference else False,
        "paused_until": preference.paused_until if preference else None,
    }
    form = DigestPreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notifications.digest_preference_set(
            user=request.user,
            enabled_kinds=form.cleaned_data["kinds"],
            paused=form.cleaned_data["paused"],
            paused_until=form.cleaned_data["paused_until"],
        )
        messages.success(request, _("Vos préférences de notification sont enregistrées."))
        return redirect("litigation:notification_preferences")
    return render(request, "litigation/notification_preferences.html", {"form": form})


@member_required
@require_POST
def case_snooze(request, pk):
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    if request.POST.get("resume"):
        until, reason, form = None, "", None
        version = int(request.POST.get("version", "0") or 0)
    else:
        form = CaseSnoozeForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("cases:detail", pk=case.pk)
        until, reason, version = form.cleaned_data["until"], form.cleaned_data["reason"], form.cleaned_data["version"]
    try:
        notifications.case_snooze(
            case=case, until=until, reason=reason, version=version, user=request.user, request=request
        )
    except notifications.StaleCase as stale:
        messages.error(
            request,
            _(
                "Le dossier a été modifié entre-temps (rappels suspendus jusqu'au %(until)s). "
                "Rien n'a été changé : vérifiez puis recommencez."
            )
            % {"until": stale.current.snoozed_until.strftime("%d/%m/%Y") if stale.current.snoozed_until else "—"},
        )
        return redirect("cases:detail", pk=case.pk)
    if until:
        messages.success(request, _("Rappels suspendus jusqu'au %(date)s.") % {"date": until.strftime("%d/%m/%Y")})
    else:
        messages.success(request, _("Les rappels de ce dossier reprennent."))
    return redirect("cases:detail", pk=case.pk)
