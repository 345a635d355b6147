"""Login protection: lockout and unlock, password strength, session expiry, shared computers."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from tests.factories import PASSWORD, TeamFactory, member

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LOCKED_MESSAGE = "Trop de tentatives de connexion ont échoué"


def fail_logins(client, email, times):
    for _ in range(times):
        client.post(LOGIN, {"username": email, "password": "wrong-password"})


def test_an_account_is_locked_after_repeated_failures_with_a_clear_french_page(client, caseworker, settings):
    fail_logins(client, caseworker.email, settings.AXES_FAILURE_LIMIT - 1)
    # One try left: the right password still works... for another client on the same address, later.
    fail_logins(client, caseworker.email, 1)
    response = client.post(LOGIN, {"username": caseworker.email, "password": PASSWORD})
    assert response.status_code == 429  # not a 500, and not a login
    assert LOCKED_MESSAGE in response.text
    assert "<h1>Compte temporairement bloqué</h1>" in response.text
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_LOCKED, organisation=caseworker.organisation).exists()


def test_changing_the_case_of_the_email_does_not_give_more_guesses(client, caseworker, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        variant = caseworker.email.upper() if i % 2 else caseworker.email
        client.post(LOGIN, {"username": variant, "password": "wrong-password"})
    response = client.post(LOGIN, {"username": caseworker.email.title(), "password": PASSWORD})
    assert response.status_code == 429


def test_the_lockout_expires_after_the_cooloff(client, caseworker, settings):
    fail_logins(client, caseworker.email, settings.AXES_FAILURE_LIMIT)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1, minutes=1)):
        response = client.post(LOGIN, {"username": caseworker.email, "password": PASSWORD})
    assert response.status_code == 302


def test_an_admin_sees_the_locked_accounts_of_the_organisation_and_unlocks_one(client, login_as, team, settings):
    locked = member(team, Role.CASEWORKER)
    stranger = member(TeamFactory(), Role.CASEWORKER)
    fail_logins(client, locked.email, settings.AXES_FAILURE_LIMIT)
    fail_logins(client, stranger.email, settings.AXES_FAILURE_LIMIT)
    admin = member(team, Role.ADMIN)
    admin_client = login_as(admin)
    page = admin_client.get(reverse("accounts:security")).text
    assert f"Débloquer {locked.email}" in page
    assert stranger.email not in page  # another association's accounts are not listed

    # Unlocking an account of another organisation is a 404.
    assert admin_client.post(reverse("accounts:account_unlock", args=[stranger.pk])).status_code == 404

    response = admin_client.post(reverse("accounts:account_unlock", args=[locked.pk]), follow=True)
    assert f"Compte {locked.email} débloqué" in response.text
    assert "Aucun compte bloqué" in response.text
    assert not AccessAttempt.objects.filter(username=locked.email).exists()
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_UNLOCK)
    assert event.actor == admin and event.object_id == str(locked.pk)
    assert client.post(LOGIN, {"username": locked.email, "password": PASSWORD}).status_code == 302


def test_only_admins_reach_the_security_page(login_as, caseworker, coordinator):
    for user in (caseworker, coordinator):
        assert login_as(user).get(reverse("accounts:security")).status_code == 403


def test_an_admin_requires_2fa_for_everyone_audited(login_as, org_admin, caseworker, team):
    response = login_as(org_admin).post(reverse("accounts:security"), {"require_2fa_for_all": "on"})
    assert response.status_code == 302
    team.organisation.refresh_from_db()
    assert team.organisation.require_2fa_for_all
    assert AuditEvent.objects.get(action=AuditAction.SETTINGS_CHANGE).details == {"require_2fa_for_all": True}
    login_as(org_admin).post(reverse("accounts:security"), {})  # unticked box: nothing posted
    team.organisation.refresh_from_db()
    assert not team.organisation.require_2fa_for_all


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Court1!", "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères."),
        ("839201746352", "Ce mot de passe est entièrement numérique."),
        ("password1234", "Ce mot de passe est trop courant."),
    ],
)
def test_weak_passwords_are_refused_on_the_password_change_page(login_as, caseworker, password, message):
    client = login_as(caseworker)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.text
    caseworker.refresh_from_db()
    assert caseworker.check_password(PASSWORD)


def test_a_password_resembling_the_email_is_refused(login_as):
    user = member(TeamFactory(), Role.CASEWORKER, email="mariama.sow@example.org")
    response = login_as(user).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "mariama.sow1", "new_password2": "mariama.sow1"},
    )
    assert "trop semblable" in response.text


def test_a_strong_password_is_accepted_and_works(client, login_as, caseworker):
    strong = "Sable-chaud-Marée-2031"
    response = login_as(caseworker).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong},
    )
    assert response.status_code == 302
    assert client.post(LOGIN, {"username": caseworker.email, "password": strong}).status_code == 302


def test_sessions_expire_after_eight_hours_of_inactivity_but_not_while_in_use(client, caseworker, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        response = client.post(LOGIN, {"username": caseworker.email, "password": PASSWORD})
        assert response.cookies["sessionid"]["max-age"] == 8 * 3600
    for hours in (7, 14, 21):  # a request every 7 hours keeps the session alive
        with time_machine.travel(start + datetime.timedelta(hours=hours), tick=False):
            assert client.get(reverse("cases:list")).status_code == 200, hours
    with time_machine.travel(start + datetime.timedelta(hours=29, minutes=1), tick=False):
        response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_the_shared_computer_option_makes_a_browser_session_cookie(client, caseworker):
    response = client.post(LOGIN, {"username": caseworker.email, "password": PASSWORD, "shared_computer": "on"})
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # dropped when the browser closes
    assert client.session.get_expire_at_browser_close()
    # ... and still bounded by the inactivity limit on the server side.
    assert client.session.get_expiry_age() <= 8 * 3600
