"""Reads for litigation. Every query for personal data starts from Case.objects.visible_to(user)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.enums import Readiness
from cases.models import Case, readiness_check_if_unchanged
from litigation.enums import ORDERING_OUTCOMES, ActionOutcome, ReferralOutcome
from litigation.models import DefenderReferral, GeneratedDocument, LitigationAction, ReadinessEvaluation

QUEUE_LIMIT = 100
STALE_REFRESH_LIMIT = 2000
CASE_RELATED = ("person", "prefecture", "team", "assignee")


def visible_cases(user):
    return Case.objects.visible_to(user)


def case_for_user(user, pk):
    return get_object_or_404(visible_cases(user).select_related(*CASE_RELATED, "team__organisation"), pk=pk)


def actions_for_user(user):
    return LitigationAction.objects.filter(case__in=visible_cases(user))


def referrals_for_user(user):
    return DefenderReferral.objects.filter(case__in=visible_cases(user))


def documents_for_user(user):
    return GeneratedDocument.objects.filter(case__in=visible_cases(user))


def stale_case_ids(user, *, now: datetime.datetime | None = None, limit: int = STALE_REFRESH_LIMIT) -> list[int]:
    """Visible open cases whose stored evaluation may be out of date (see services' freshness rule):
    never checked, checked before today, or changed (the case or its attempts) after the check.

    One range condition on an indexed expression of the case row (cases.models): the stale cases
    are found without reading the fresh ones.
    """
    now = now or timezone.now()
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return list(
        visible_cases(user)
        .open()
        .alias(checked=readiness_check_if_unchanged())
        .filter(Q(checked__isnull=True) | Q(checked__lt=start_of_day))
        .order_by("urgency", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def _engaged_action():
    """Actions that take a case out of the "ready" queues: filed and pending, or an order obtained."""
    return Q(outcome=ActionOutcome.PENDING, filed_on__isnull=False) | Q(
        outcome__in=(*ORDERING_OUTCOMES, ActionOutcome.MOOT)
    )


@dataclass
class Queue:
    key: str
    title: str
    explanation: str
    rows: list
    total: int
    is_action_queue: bool = False


def litigation_queues(
    user, *, today: datetime.date | None = None, team_id: int | None = None, only: str | None = None
) -> list[Queue]:
    """The five queues, most urgent first. Two queries per queue whatever the number of rows.

    `team_id` narrows every queue to one team (the caller checks the user may see it; scoping
    still starts from the visible cases), `only` keeps one queue: the dashboard links here.
    """
    today = today or timezone.localdate()
    # Only what the rows show (the team and the assignee are not on the page).
    cases = (
        visible_cases(user)
        .open()
        .select_related("person", "prefecture")
        .order_by("urgency", "next_deadline_date", "pk")
    )
    engaged = LitigationAction.objects.filter(_engaged_action()).values("case_id")
    pending_referral = DefenderReferral.objects.filter(sent_on__isnull=False, outcome=ReferralOutcome.PENDING).values(
        "case_id"
    )
    actions = (
        actions_for_user(user)
        .select_related("case__person", "case__prefecture")
        .order_by("case__urgency", "execution_due_on", "filed_on", "pk")
    )
    if team_id is not None:
        cases = cases.filter(team_id=team_id)
        actions = actions.filter(case__team_id=team_id)
    titles = dict(queue_choices())
    specs = [
        (
            "refere",
            titles["refere"],
            _("Toutes les conditions de la règle sont réunies ; aucun référé n'est encore déposé."),
            cases.filter(readiness=Readiness.READY_FOR_REFERE).exclude(pk__in=engaged),
            False,
        ),
        (
            "referral",
            titles["referral"],
            _(
                "La saisine ne suspend aucun délai et ne remplace pas un référé : les deux démarches avancent "
                "côte à côte."
            ),
            cases.filter(readiness=Readiness.READY_FOR_REFERRAL).exclude(pk__in=pending_referral),
            False,
        ),
        (
            "lawyer",
            titles["lawyer"],
            _("Urgence non établie ou OQTF non exécutée : un·e avocat·e décide de la suite."),
            cases.filter(readiness=Readiness.LAWYER_REVIEW).exclude(pk__in=engaged),
            False,
        ),
        (
            "filed",
            titles["filed"],
            _("Référés et recours déposés sans ordonnance enregistrée."),
            actions.awaiting_order(),
            True,
        ),
        (
            "not_executed",
            titles["not_executed"],
            _("Le délai fixé par le juge est passé sans que la préfecture ait donné le rendez-vous."),
            actions.order_not_executed(today),
            True,
        ),
    ]
    return [
        Queue(key, title, explanation, list(qs[:QUEUE_LIMIT]), qs.count(), is_action)
        for key, title, explanation, qs, is_action in specs
        if only is None or key == only
    ]


def queue_choices() -> list[tuple[str, str]]:
    """(key, title) of the queues, for the filter of the queues page."""
    return [
        ("refere", _("Prêts pour un référé")),
        ("referral", _("Prêts pour une saisine du Défenseur des droits")),
        ("lawyer", _("À examiner par un·e avocat·e")),
        ("filed", _("Déposés, en attente d'ordonnance")),
        ("not_executed", _("Ordonnance non exécutée")),
    ]


def orders_not_executed_per_team(user, *, today: datetime.date | None = None) -> list[dict]:
    """Orders not executed per visible team (the "not_executed" queue's rule), in one query.

    Rows: team_id, team__name, count. Counts what `litigation_queues(only="not_executed",
    team_id=...)` lists, so a figure can link to its list.
    """
    today = today or timezone.localdate()
    return list(
        actions_for_user(user)
        .order_not_executed(today)
        .values("case__team_id", "case__team__name")
        .annotate(count=Count("pk"))
        .order_by("case__team__name", "case__team_id")
    )


def latest_evaluation(case_id: int) -> ReadinessEvaluation | None:
    return ReadinessEvaluation.objects.filter(case_id=case_id, is_latest=True).only("id", "fingerprint").first()


def case_litigation(case) -> dict:
    return {
        "actions": list(case.litigation_actions.order_by("-filed_on", "-id")),
        "referrals": list(case.defender_referrals.order_by("-sent_on", "-id")),
        "documents": list(case.generated_documents.order_by("-created_at", "-id")[:10]),
    }
