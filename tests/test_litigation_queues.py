"""Queues, court actions, referrals, optimistic locking and scoping."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from cases.enums import Readiness, Urgency
from cases.models import Case
from litigation.enums import ActionOutcome, DocumentKind
from litigation.models import DefenderReferral, GeneratedDocument, LitigationAction
from litigation.services import readiness_refresh_many
from tests.factories import CaseFactory, member
from tests.litigation_helpers import granted_pattern

pytestmark = pytest.mark.django_db


def _action_post(**values):
    data = {"kind": "refere_mesures_utiles", "legal_aid": "not_requested", "outcome": "pending", "court": ""}
    data.update({k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in values.items()})
    return data


def _queue_cases(team, n):
    cases = [CaseFactory(team=team) for _ in range(n)]
    for case in cases:
        LitigationAction.objects.create(case=case, filed_on=timezone.localdate())
    readiness_refresh_many([c.pk for c in cases])
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(readiness=Readiness.READY_FOR_REFERE)
    return cases


def test_queues_page_has_a_constant_query_count(team, caseworker, login_as):
    client = login_as(caseworker)
    _queue_cases(team, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("litigation:queues")).status_code == 200
    _queue_cases(team, 6)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("litigation:queues"))
    assert response.text.count("/cases/") >= 9 + 1  # nine rows in "awaiting order", plus the nav link
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def test_queues_sort_by_urgency_and_reevaluate_stale_cases(team, caseworker, login_as):
    later = CaseFactory(team=team)
    urgent = CaseFactory(team=team)
    Case.objects.filter(pk=later.pk).update(urgency=Urgency.LATER)
    Case.objects.filter(pk=urgent.pk).update(urgency=Urgency.D7)
    for case in (later, urgent):
        granted_pattern(case)  # attempts recorded elsewhere: the stored flag is stale (never evaluated)
    page = login_as(caseworker).get(reverse("litigation:queues")).text
    section = page.split('id="queue-refere"')[1].split("</section>")[0]
    assert section.index(urgent.person.full_name) < section.index(later.person.full_name)
    assert Case.objects.get(pk=urgent.pk).readiness == Readiness.READY_FOR_REFERE


def test_queues_are_scoped_to_the_users_teams(team, other_team, caseworker, login_as):
    mine, theirs = CaseFactory(team=team), CaseFactory(team=other_team)
    for case in (mine, theirs):
        granted_pattern(case)
    page = login_as(caseworker).get(reverse("litigation:queues")).text
    assert mine.person.full_name in page and theirs.person.full_name not in page


def test_filing_an_action_defaults_the_court_and_moves_the_case_to_awaiting_order(team, caseworker, login_as):
    case = CaseFactory(team=team)
    granted_pattern(case)
    client = login_as(caseworker)
    form = client.get(reverse("litigation:action_create", args=[case.pk])).text
    assert case.prefecture.tribunal_administratif in form
    response = client.post(
        reverse("litigation:action_create", args=[case.pk]), _action_post(filed_on=timezone.localdate())
    )
    assert response.status_code == 302
    action = LitigationAction.objects.get(case=case)
    assert action.court == case.prefecture.tribunal_administratif
    page = client.get(reverse("litigation:queues")).text
    assert case.person.full_name in page.split('id="queue-filed"')[1].split("</section>")[0]
    assert case.person.full_name not in page.split('id="queue-refere"')[1].split("</section>")[0]


def test_order_not_executed_is_flagged_when_the_delay_passes(team, caseworker, login_as):
    case = CaseFactory(team=team)
    today = timezone.localdate()
    client = login_as(caseworker)
    client.post(
        reverse("litigation:action_create", args=[case.pk]),
        _action_post(
            filed_on=today - datetime.timedelta(days=30),
            order_on=today - datetime.timedelta(days=16),
            outcome=ActionOutcome.GRANTED,
            ordered_appointment_within_days=15,
            ordered_held_within_days=30,
            daily_penalty_eur="100",
        ),
    )
    action = LitigationAction.objects.get(case=case)
    assert action.execution_due_on == today - datetime.timedelta(days=1)
    assert action.order_not_executed()
    queues = client.get(reverse("litigation:queues")).text
    assert case.person.full_name in queues.split('id="queue-not_executed"')[1].split("</section>")[0]
    assert "astreinte 100,00 € / jour" in queues
    assert "Ordonnance non exécutée (délai échu le" in client.get(reverse("cases:detail", args=[case.pk])).text

    data = _action_post(
        filed_on=action.filed_on,
        order_on=action.order_on,
        outcome=ActionOutcome.GRANTED,
        ordered_appointment_within_days=15,
        executed_on=today,
        version=action.version,
    )
    assert client.post(reverse("litigation:action_edit", args=[action.pk]), data).status_code == 302
    action.refresh_from_db()
    assert not action.order_not_executed() and action.version == 2
    queues = client.get(reverse("litigation:queues")).text
    assert case.person.full_name not in queues.split('id="queue-not_executed"')[1].split("</section>")[0]


def test_order_within_the_delay_is_not_flagged(team):
    action = LitigationAction(
        outcome=ActionOutcome.GRANTED,
        order_on=timezone.localdate(),
        execution_due_on=timezone.localdate() + datetime.timedelta(days=15),
    )
    assert not action.order_not_executed()


def test_a_stale_action_edit_is_refused_with_what_changed(team, caseworker, login_as):
    case = CaseFactory(team=team)
    colleague = member(team, Role.CASEWORKER, first_name="Inès", last_name="Martin")
    action = LitigationAction.objects.create(case=case, court="TA Montreuil", version=1)
    mine, theirs = login_as(caseworker), login_as(colleague)
    assert (
        theirs.post(
            reverse("litigation:action_edit", args=[action.pk]),
            _action_post(court="TA Montreuil", court_case_number="2601234", version=1),
        ).status_code
        == 302
    )
    response = mine.post(
        reverse("litigation:action_edit", args=[action.pk]),
        _action_post(court="TA Montreuil", lawyer="Me Dupont", version=1),
    )
    assert response.status_code == 200
    assert "Inès Martin a modifié cette fiche pendant votre saisie" in response.text
    assert "numéro de requête : 2601234" in response.text
    action.refresh_from_db()
    assert action.lawyer == "" and action.court_case_number == "2601234"


def test_referrals_are_recorded_and_leave_the_referral_queue(team, caseworker, login_as):
    from attempts.enums import Channel, Outcome
    from tests.litigation_helpers import add_attempt, paris_moment

    case = CaseFactory(team=team)
    add_attempt(case, paris_moment(40, 10), channel=Channel.EMAIL, outcome=Outcome.NO_REPLY)
    client = login_as(caseworker)
    assert case.person.full_name in client.get(reverse("litigation:queues")).text.split('id="queue-referral"')[1]
    response = client.post(
        reverse("litigation:referral_create", args=[case.pk]),
        {
            "channel": "delegate",
            "delegate_name": "M. Délégué",
            "sent_on": timezone.localdate().isoformat(),
            "outcome": "pending",
        },
    )
    assert response.status_code == 302
    assert DefenderReferral.objects.get(case=case).delegate_name == "M. Délégué"
    queue = client.get(reverse("litigation:queues")).text.split('id="queue-referral"')[1].split("</section>")[0]
    assert case.person.full_name not in queue


def test_every_litigation_url_is_a_404_for_another_team(team, other_team, login_as):
    case = CaseFactory(team=team)
    action = LitigationAction.objects.create(case=case)
    referral = DefenderReferral.objects.create(case=case)
    document = GeneratedDocument.objects.create(case=case, kind=DocumentKind.ATTEMPT_LOG, status="done")
    outsider = login_as(member(other_team, Role.CASEWORKER))
    gets = [
        reverse("litigation:action_create", args=[case.pk]),
        reverse("litigation:action_edit", args=[action.pk]),
        reverse("litigation:referral_create", args=[case.pk]),
        reverse("litigation:referral_edit", args=[referral.pk]),
        reverse("litigation:case_documents", args=[case.pk]),
        reverse("litigation:document", args=[document.pk]),
        reverse("litigation:document_status", args=[document.pk]),
        reverse("litigation:document_download", args=[document.pk]),
        reverse("litigation:document_archive", args=[document.pk]),
    ]
    for url in gets:
        assert outsider.get(url).status_code == 404, url
    posts = [
        reverse("litigation:document_request", args=[case.pk, DocumentKind.ATTEMPT_LOG]),
        reverse("litigation:document_retry", args=[document.pk]),
        reverse("litigation:action_edit", args=[action.pk]),
    ]
    for url in posts:
        assert outsider.post(url, {}).status_code == 404, url
    assert GeneratedDocument.objects.count() == 1


def test_demo_fills_every_queue_and_is_idempotent(login_as):
    from django.core.management import call_command

    from accounts.models import User

    call_command("seed_demo")
    call_command("seed_demo")
    assert LitigationAction.objects.count() == 3 and DefenderReferral.objects.count() == 1
    page = login_as(User.objects.get(email="coordination@demo.test")).get(reverse("litigation:queues")).text
    for key in ("refere", "referral", "lawyer", "filed", "not_executed"):
        section = page.split(f'id="queue-{key}"')[1].split("</section>")[0]
        assert "/cases/" in section, key
