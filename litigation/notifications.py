"""Reminders: what changed for each user's cases, in the app and in one e-mail per morning.

Why here: a reminder reads cases (deadlines, documents), attempts (the last one) and
litigation (readiness, court orders), and only `litigation` may import all three (`reports` is
read-only over the others and must not write notifications).

Who is told [decision]:
- a case's assignee gets every kind of reminder about it;
- the coordinators and admins who are members of the case's team get the litigation
  decisions for every case of the team (ready for a référé or the Défenseur des droits, an
  order not executed in time, an anonymisation coming), and every reminder about the team's
  unassigned cases (nobody else would see them).
A snoozed case (`Case.snoozed_until` today or later) gives no reminder. Each user chooses the
kinds they get (`DigestPreference.disabled_kinds`, both in the app and by e-mail) and can pause
the e-mail (the reminders still show in the app, and the e-mail sends the last 7 days' unsent
ones when it resumes).

`notifications_generate(today)` is idempotent: each reminder is keyed by (user, case, kind,
ref) where `ref` is the state that triggered it, so running it twice adds nothing and a
situation is reported once. `digests_send(today)` mails each user's unsent reminders in one
message and marks them sent user by user, so a retry after a failure does not send twice.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.enums import AuditAction, Role
from accounts.models import Membership, User
from accounts.services import audit_record
from cases.enums import PROVISIONAL_DOCUMENT_KINDS, CaseStatus, DocumentKind, Readiness
from cases.models import Case, ResidenceDocument
from litigation import retention
from litigation.enums import NotificationKind
from litigation.models import DigestPreference, LitigationAction, Notification

logger = logging.getLogger(__name__)

DEADLINE_THRESHOLDS = (
    (7, NotificationKind.DEADLINE_7),
    (30, NotificationKind.DEADLINE_30),
    (60, NotificationKind.DEADLINE_60),
)
# [default] DOMAIN.md: "provisional document expiry minus 20 days".
PROVISIONAL_WARNING_DAYS = 20
STALL_DAYS = 7
# A case that became ready long ago is not news: only report readiness reached this recently
# (also keeps the first run after an upgrade from flooding everyone).
READINESS_NEWS_DAYS = 7
DIGEST_BACKLOG_DAYS = 7

# Kinds a team coordinator receives for every case of the team, assigned or not.
COORDINATOR_KINDS = (
    NotificationKind.READY_FOR_REFERE,
    NotificationKind.READY_FOR_REFERRAL,
    NotificationKind.ORDER_DELAY_PASSED,
    NotificationKind.RETENTION_DUE,
)


@dataclass(frozen=True)
class Event:
    case_id: int
    kind: str
    ref: str
    message: str


def case_label(case) -> str:
    """How a case is named in reminders: number, first name only, procedure, prefecture."""
    first_name = case.person.first_name or _("(prénom non renseigné)")
    return _("Dossier n°%(id)s — %(first_name)s, %(procedure)s, %(prefecture)s") % {
        "id": case.pk,
        "first_name": first_name,
        "procedure": case.get_procedure_display(),
        "prefecture": case.prefecture.name,
    }


def _candidate_cases(today):
    """Open, live cases that are not snoozed today."""
    return (
        Case.objects.filter(deleted_at__isnull=True, anonymised_at__isnull=True)
        .exclude(status=CaseStatus.CLOSED)
        .filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lt=today))
    )


def _deadline_events(today) -> list[Event]:
    events = []
    cases = _candidate_cases(today).filter(
        next_deadline_date__gte=today, next_deadline_date__lte=today + datetime.timedelta(days=60)
    )
    for case_id, deadline, label in cases.values_list("id", "next_deadline_date", "next_deadline_label"):
        days = (deadline - today).days
        kind = next(kind for limit, kind in DEADLINE_THRESHOLDS if days <= limit)
        message = _("%(label)s le %(date)s (dans %(days)s jours)") % {
            "label": label or _("Échéance"),
            "date": deadline.strftime("%d/%m/%Y"),
            "days": days,
        }
        events.append(Event(case_id, kind, deadline.isoformat(), message))
    return events


def _provisional_events(today) -> list[Event]:
    documents = ResidenceDocument.objects.filter(
        kind__in=PROVISIONAL_DOCUMENT_KINDS,
        valid_until__gte=today,
        valid_until__lte=today + datetime.timedelta(days=PROVISIONAL_WARNING_DAYS),
    ).values_list("id", "person_id", "kind", "valid_until")
    by_person = defaultdict(list)
    for document in documents:
        by_person[document[1]].append(document)
    labels = dict(DocumentKind.choices)
    events = []
    for case_id, person_id in (
        _candidate_cases(today).filter(person_id__in=list(by_person)).values_list("id", "person_id")
    ):
        for document_id, _person, kind, valid_until in by_person[person_id]:
            message = _("%(document)s expire le %(date)s") % {
                "document": labels[kind],
                "date": valid_until.strftime("%d/%m/%Y"),
            }
            events.append(
                Event(case_id, NotificationKind.PROVISIONAL_EXPIRING, f"{document_id}:{valid_until}", message)
            )
    return events


def _readiness_events(today) -> list[Event]:
    kinds = {
        Readiness.READY_FOR_REFERE: NotificationKind.READY_FOR_REFERE,
        Readiness.READY_FOR_REFERRAL: NotificationKind.READY_FOR_REFERRAL,
    }
    cases = _candidate_cases(today).filter(
        readiness__in=kinds, readiness_since__gte=today - datetime.timedelta(days=READINESS_NEWS_DAYS)
    )
    events = []
    for case_id, readiness, since in cases.values_list("id", "readiness", "readiness_since"):
        message = _("Conditions réunies depuis le %(date)s : voir le détail sur le dossier.") % {
            "date": since.strftime("%d/%m/%Y")
        }
        events.append(Event(case_id, kinds[readiness], f"{readiness}:{since}", message))
    return events


def _stall_events(today) -> list[Event]:
    """Cases still attempting with no attempt (of any kind) in the last STALL_DAYS days."""
    limit = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=STALL_DAYS), datetime.time()))
    cases = (
        _candidate_cases(today)
        .filter(status=CaseStatus.ATTEMPTING, created_at__lt=limit)
        .annotate(last=Max("attempts__moment"))
        .filter(Q(last__isnull=True) | Q(last__lt=limit))
    )
    events = []
    for case_id, last in cases.values_list("id", "last"):
        if last is None:
            message = _("Aucune tentative enregistrée pour ce dossier.")
            ref = "none"
        else:
            last_day = timezone.localtime(last).date()
            message = _("Dernière tentative le %(date)s.") % {"date": last_day.strftime("%d/%m/%Y")}
            ref = last_day.isoformat()
        events.append(Event(case_id, NotificationKind.NO_RECENT_ATTEMPT, ref, message))
    return events


def _order_events(today) -> list[Event]:
    """Court orders granted but not executed by the day the order set."""
    overdue = LitigationAction.objects.order_not_executed(today).filter(case__in=_candidate_cases(today))
    events = []
    for action_id, case_id, due in overdue.values_list("id", "case_id", "execution_due_on"):
        message = _("L'ordonnance devait être exécutée au plus tard le %(date)s : prévenir l'avocat·e.") % {
            "date": due.strftime("%d/%m/%Y")
        }
        events.append(Event(case_id, NotificationKind.ORDER_DELAY_PASSED, f"{action_id}:{due}", message))
    return events


def collect_events(today) -> list[Event]:
    """Every reminder-worthy situation today, before choosing who is told."""
    return [
        *_deadline_events(today),
        *_provisional_events(today),
        *_readiness_events(today),
        *_stall_events(today),
        *_order_events(today),
        *retention.warning_events(today),
    ]


def _recipients(case_ids) -> dict[int, dict[str, set[int]]]:
    """{case_id: {"assignee": ..., "coordinators": ...}} per the module docstring's rule; set-based."""
    cases = list(Case.objects.filter(pk__in=case_ids).values_list("id", "team_id", "assignee_id"))
    coordinators = defaultdict(set)
    memberships = Membership.objects.filter(
        team_id__in={row[1] for row in cases}, role__in=(Role.COORDINATOR, Role.ADMIN), user__is_active=True
    )
    for team_id, user_id in memberships.values_list("team_id", "user_id"):
        coordinators[team_id].add(user_id)
    assignees = {row[2] for row in cases if row[2]}
    active = set(User.objects.filter(pk__in=assignees, is_active=True).values_list("pk", flat=True))
    return {
        case_id: {"assignee": {assignee_id} & active, "coordinators": coordinators[team_id]}
        for case_id, team_id, assignee_id in cases
    }


def notifications_generate(today: datetime.date) -> int:
    """Create today's reminders (idempotent). Returns how many reminders `today` now has."""
    events = collect_events(today)
    recipients = _recipients({event.case_id for event in events})
    preferences = {
        p.user_id: set(p.disabled_kinds)
        for p in DigestPreference.objects.filter(
            user_id__in={u for r in recipients.values() for group in r.values() for u in group}
        )
    }
    rows = []
    for event in events:
        who = recipients.get(event.case_id)
        if who is None:
            continue
        users = set(who["assignee"])
        if not who["assignee"] or event.kind in COORDINATOR_KINDS:
            users |= who["coordinators"]
        for user_id in users:
            if event.kind in preferences.get(user_id, ()):
                continue
            rows.append(
                Notification(
                    user_id=user_id,
                    case_id=event.case_id,
                    kind=event.kind,
                    ref=event.ref,
                    message=event.message[:300],
                    day=today,
                )
            )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return Notification.objects.filter(day=today).count()


def _digest_context(user, notifications):
    sections = defaultdict(list)
    for notification in notifications:
        sections[notification.kind].append(notification)
    ordered = [
        {"title": label, "items": sections[kind]} for kind, label in NotificationKind.choices if kind in sections
    ]
    return {
        "user_first_name": user.first_name,
        "sections": ordered,
        "site_url": settings.SITE_URL.rstrip("/"),
        "count": len(notifications),
    }


def digest_message(user, notifications) -> EmailMultiAlternatives:
    """The morning e-mail for one user (French, text and HTML)."""
    with translation.override(settings.LANGUAGE_CODE):
        context = _digest_context(user, notifications)
        subject = _("Plage libre : %(count)s point(s) à suivre ce matin") % {"count": context["count"]}
        text = render_to_string("litigation/email/digest.txt", context)
        html = render_to_string("litigation/email/digest.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message


def digests_send(today: datetime.date) -> int:
    """Send one e-mail per user with their unsent reminders of the last days. Returns mails sent."""
    since = today - datetime.timedelta(days=DIGEST_BACKLOG_DAYS)
    pending = (
        Notification.objects.filter(emailed_at__isnull=True, day__gte=since, day__lte=today, user__is_active=True)
        .select_related("case__person", "case__prefecture")
        .order_by("user_id", "kind", "case_id", "id")
    )
    by_user = defaultdict(list)
    for notification in pending:
        by_user[notification.user_id].append(notification)
    if not by_user:
        return 0
    users = User.objects.in_bulk(list(by_user))
    paused = {p.user_id for p in DigestPreference.objects.filter(user_id__in=list(by_user)) if p.is_paused(today)}
    sent = 0
    for user_id, notifications in by_user.items():
        if user_id in paused:
            continue
        user = users[user_id]
        for notification in notifications:
            notification.case_text = case_label(notification.case)
        digest_message(user, notifications).send()
        # One user at a time: a failure later on (and the job's retry) never re-sends this mail.
        with transaction.atomic():
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())
        sent += 1
    logger.info("Digests sent: %s", sent)
    return sent


# Writes from the pages (the user's own reminders and preferences; a case's snooze).


def notifications_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's reminders as read (all unread ones when no ids are given)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def digest_preference_set(*, user, enabled_kinds: list[str], paused: bool, paused_until) -> DigestPreference:
    disabled = [kind for kind in NotificationKind.values if kind not in set(enabled_kinds)]
    preference, _created = DigestPreference.objects.update_or_create(
        user=user, defaults={"disabled_kinds": disabled, "paused": paused, "paused_until": paused_until}
    )
    return preference


@transaction.atomic
def case_snooze(*, case: Case, until, reason: str, version: int, user, request=None) -> Case:
    """Suspend (or, with `until=None`, resume) a case's reminders. Refuses a stale version."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.version != version:
        raise StaleCase(locked)
    before = {
        "until": locked.snoozed_until.isoformat() if locked.snoozed_until else None,
        "reason": locked.snooze_reason,
    }
    locked.snoozed_until = until
    locked.snooze_reason = reason if until else ""
    locked.version += 1
    locked.save(update_fields=["snoozed_until", "snooze_reason", "version", "updated_at"])
    audit_record(
        action=AuditAction.CASE_UPDATE,
        actor=user,
        request=request,
        obj=locked,
        case_id=locked.pk,
        details={
            "field": "snooze",
            "before": before,
            "after": {"until": until.isoformat() if until else None, "reason": locked.snooze_reason},
        },
    )
    return locked


class StaleCase(Exception):
    """The case changed since the form was shown."""

    def __init__(self, current: Case):
        super().__init__("stale case")
        self.current = current
