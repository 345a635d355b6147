"""Reminders and the morning digest, with frozen time."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from attempts.models import Attempt
from cases.enums import CaseStatus, DocumentKind, Readiness
from litigation.enums import NotificationKind
from litigation.models import DigestPreference, Notification
from tests.factories import CaseFactory, PersonFactory, ResidenceDocumentFactory, member

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
TODAY = datetime.date(2025, 3, 10)
MORNING = datetime.datetime(2025, 3, 10, 7, 0, tzinfo=PARIS)


@pytest.fixture
def frozen():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(frozen, team, caseworker, coordinator):
    """A caseworker with four cases that each need a reminder, one quiet case, one snoozed."""
    person = PersonFactory(team=team, first_name="Aïcha", last_name="Konaté", foreigner_number="7512345678")
    deadline = CaseFactory(
        team=team,
        person=person,
        assignee=caseworker,
        next_deadline_date=TODAY + datetime.timedelta(days=30),
        next_deadline_label="Fin de la fenêtre de renouvellement",
    )
    ResidenceDocumentFactory(
        person=person, kind=DocumentKind.RECEPISSE, valid_until=TODAY + datetime.timedelta(days=12)
    )
    ready = CaseFactory(
        team=team,
        assignee=caseworker,
        readiness=Readiness.READY_FOR_REFERE,
        readiness_since=TODAY - datetime.timedelta(days=1),
        person__first_name="Moussa",
        person__last_name="Traoré",
    )
    stalled = CaseFactory(team=team, assignee=caseworker, status=CaseStatus.ATTEMPTING, person__last_name="Benali")
    stalled_created = datetime.datetime(2025, 2, 1, 10, 0, tzinfo=PARIS)
    type(stalled).objects.filter(pk=stalled.pk).update(created_at=stalled_created)
    Attempt.objects.create(case=stalled, moment=datetime.datetime(2025, 2, 27, 9, 30, tzinfo=PARIS))
    unassigned = CaseFactory(team=team, status=CaseStatus.INTAKE, next_deadline_date=TODAY + datetime.timedelta(days=5))
    quiet = CaseFactory(
        team=team, assignee=caseworker, status=CaseStatus.LODGED, next_deadline_date=TODAY + datetime.timedelta(days=90)
    )
    snoozed = CaseFactory(
        team=team,
        assignee=caseworker,
        status=CaseStatus.LODGED,
        next_deadline_date=TODAY + datetime.timedelta(days=3),
        snoozed_until=TODAY + datetime.timedelta(days=10),
        snooze_reason="Rendez-vous obtenu, en attente",
    )
    return {
        "deadline": deadline,
        "ready": ready,
        "stalled": stalled,
        "unassigned": unassigned,
        "quiet": quiet,
        "snoozed": snoozed,
    }


def kinds_of(user):
    return set(Notification.objects.filter(user=user).values_list("case_id", "kind"))


def test_reminders_go_to_the_assignee_and_team_coordinators(world, caseworker, coordinator):
    call_command("send_digests", "--date", TODAY.isoformat())
    assert kinds_of(caseworker) == {
        (world["deadline"].pk, NotificationKind.DEADLINE_30),
        (world["deadline"].pk, NotificationKind.PROVISIONAL_EXPIRING),
        (world["ready"].pk, NotificationKind.READY_FOR_REFERE),
        (world["stalled"].pk, NotificationKind.NO_RECENT_ATTEMPT),
    }
    # Coordinators: litigation decisions of the team, and what nobody is assigned to.
    assert kinds_of(coordinator) == {
        (world["ready"].pk, NotificationKind.READY_FOR_REFERE),
        (world["unassigned"].pk, NotificationKind.DEADLINE_7),
    }


def test_one_digest_per_user_with_sections_links_and_first_names_only(world, caseworker, coordinator, settings):
    settings.SITE_URL = "https://plage.example.org"
    call_command("send_digests", "--date", TODAY.isoformat())
    assert sorted(m.to[0] for m in mail.outbox) == sorted([caseworker.email, coordinator.email])
    message = next(m for m in mail.outbox if m.to == [caseworker.email])
    html = message.alternatives[0].content
    assert message.alternatives[0].mimetype == "text/html"
    for body in (message.body, html):
        for section in (
            "Échéance dans 30 jours ou moins",
            "Récépissé ou API bientôt expiré",
            "Dossier prêt pour un référé",
            "Aucune tentative depuis 7 jours",
        ):
            assert section in body
        assert f"https://plage.example.org/cases/{world['deadline'].pk}/" in body
        assert "Aïcha" in body and "Moussa" in body
        for private in ("Konaté", "KONATÉ", "Traoré", "Benali", "7512345678"):
            assert private not in body
        assert "09/04/2025" in body  # the deadline, dd/mm/yyyy
    assert "Dernière tentative le 27/02/2025" in message.body
    assert str(world["snoozed"].pk) not in message.subject
    assert f"/cases/{world['snoozed'].pk}/" not in message.body
    assert f"/cases/{world['quiet'].pk}/" not in message.body


def test_running_twice_sends_nothing_more(world):
    call_command("send_digests", "--date", TODAY.isoformat())
    count = Notification.objects.count()
    sent = len(mail.outbox)
    call_command("send_digests", "--date", TODAY.isoformat())
    assert Notification.objects.count() == count
    assert len(mail.outbox) == sent
    # The next day, the same situations are not news: no new reminder, no e-mail.
    call_command("send_digests", "--date", (TODAY + datetime.timedelta(days=1)).isoformat())
    assert len(mail.outbox) == sent


def test_paused_users_get_nothing_and_disabled_kinds_are_not_generated(world, caseworker, coordinator):
    DigestPreference.objects.create(user=caseworker, paused_until=TODAY + datetime.timedelta(days=3))
    DigestPreference.objects.create(user=coordinator, disabled_kinds=[NotificationKind.DEADLINE_7])
    call_command("send_digests", "--date", TODAY.isoformat())
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert (world["unassigned"].pk, NotificationKind.DEADLINE_7) not in kinds_of(coordinator)
    # Still listed in the app while the e-mail is paused.
    assert Notification.objects.filter(user=caseworker, read_at__isnull=True).count() == 4


def test_preferences_page_saves_choices(frozen, caseworker, login_as):
    client = login_as(caseworker)
    url = reverse("litigation:notification_preferences")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"kinds": [NotificationKind.DEADLINE_7, NotificationKind.DEADLINE_30], "paused": "on"}, follow=True
    )
    assert "préférences de notification sont enregistrées" in response.content.decode()
    preference = DigestPreference.objects.get(user=caseworker)
    assert preference.paused is True
    assert NotificationKind.NO_RECENT_ATTEMPT in preference.disabled_kinds
    assert NotificationKind.DEADLINE_7 not in preference.disabled_kinds


def test_notification_list_unread_count_and_mark_read(world, caseworker, login_as, django_assert_num_queries):
    call_command("send_digests", "--date", TODAY.isoformat())
    client = login_as(caseworker)
    page = client.get(reverse("litigation:notifications"))
    html = page.content.decode()
    assert "Dossier prêt pour un référé" in html
    assert '<span class="badge">4<span class="visually-hidden"> non lues' in html
    assert "Konaté" not in html or "KONATÉ" in html  # list shows first names only
    one = Notification.objects.filter(user=caseworker).first()
    client.post(reverse("litigation:notification_mark_read"), {"notification": [one.pk]})
    assert '<span class="badge">3<' in client.get(reverse("cases:list")).content.decode()
    client.post(reverse("litigation:notification_mark_read"), {"all": "1"})
    assert 'class="badge"' not in client.get(reverse("litigation:notifications")).content.decode()
    # Someone else's reminder cannot be marked through this user.
    other = member(world["deadline"].team, Role.CASEWORKER)
    assert Notification.objects.filter(user=other).count() == 0


def test_notification_list_query_count_is_constant(frozen, team, caseworker, login_as, django_assert_num_queries):
    client = login_as(caseworker)
    for day in range(3):
        case = CaseFactory(team=team, assignee=caseworker)
        Notification.objects.create(user=caseworker, case=case, kind="deadline_7", ref=str(day), message="x", day=TODAY)
    client.get(reverse("litigation:notifications"))
    with django_assert_num_queries(13) as small:
        client.get(reverse("litigation:notifications"))
    for day in range(10):
        case = CaseFactory(team=team, assignee=caseworker)
        Notification.objects.create(
            user=caseworker, case=case, kind="deadline_30", ref=str(day), message="y", day=TODAY
        )
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("litigation:notifications"))


def test_snooze_form_on_the_case_page(frozen, world, caseworker, login_as):
    case = world["deadline"]
    client = login_as(caseworker)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Suspendre les rappels" in page
    url = reverse("litigation:case_snooze", args=[case.pk])
    until = (TODAY + datetime.timedelta(days=14)).isoformat()
    response = client.post(
        url, {"version": case.version, "until": until, "reason": "Attente d'une réponse"}, follow=True
    )
    assert "Rappels suspendus jusqu'au 24/03/2025" in response.content.decode()
    case.refresh_from_db()
    assert case.snoozed_until == TODAY + datetime.timedelta(days=14)
    assert AuditEvent.objects.filter(action=AuditAction.CASE_UPDATE, case_id=case.pk).exists()
    # A stale form changes nothing.
    response = client.post(url, {"version": case.version - 1, "resume": "1"}, follow=True)
    assert "modifié entre-temps" in response.content.decode()
    case.refresh_from_db()
    assert case.snoozed_until is not None
    call_command("send_digests", "--date", TODAY.isoformat())
    assert not Notification.objects.filter(case=case).exists()
    # Another team's case is a 404.
    stranger = CaseFactory()
    assert client.post(reverse("litigation:case_snooze", args=[stranger.pk]), {"resume": "1"}).status_code == 404
