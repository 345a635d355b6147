"""Two-factor authentication: required for coordinators and admins, optional for caseworkers."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from tests.factories import PASSWORD, TeamFactory, member

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def password_login(client, user, **extra):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD, **extra})


def enrol(client, user):
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"code": code_for(device)})
    assert response.status_code == 302, response.content
    return device


def test_a_coordinator_with_only_a_password_is_sent_to_enrolment_everywhere(client, coordinator):
    password_login(client, coordinator)
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=/cases/"
    for name in ("accounts:user_list", "accounts:password_change", "home"):
        assert client.get(reverse(name))["Location"].startswith(SETUP), name
    # Public pages, the 2FA pages and logout stay reachable.
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(SETUP).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("cases:list"))["Location"].startswith(reverse("accounts:login"))


def test_enrolment_shows_a_qr_code_and_the_secret_then_backup_codes_once(client, coordinator):
    password_login(client, coordinator)
    page = client.get(SETUP).text
    assert re.search(r'<img class="qr-code" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', page)
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    secret = re.search(r'<code class="otp-secret">([A-Z2-7 ]+)</code>', page).group(1)
    assert len(secret.replace(" ", "")) == 32
    assert "<script" not in page.split("<main", 1)[1]
    assert client.get(SETUP).text.count(secret) == 1  # same device on reload: the QR code does not change

    response = client.post(SETUP, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert "Ce code ne correspond pas" in response.text
    assert client.get(reverse("cases:list")).status_code == 302
    assert "Attendez" in client.post(SETUP, {"code": code_for(device)}).text  # throttled after a failure

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5), tick=True):
        response = client.post(SETUP, {"code": code_for(device)}, follow=True)
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "ne seront plus affichés" in response.text
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_ENABLE, actor=coordinator).exists()
    assert client.get(reverse("cases:list")).status_code == 200
    again = client.get(reverse("accounts:two_factor")).text
    assert not any(code in again for code in codes)
    assert "Il vous reste 10 codes de secours" in again


def test_login_asks_for_the_code_after_the_password_and_returns_to_the_page(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="t", confirmed=True)
    password_login(client, coordinator)
    response = client.get(reverse("cases:list"))
    assert response["Location"] == f"{VERIFY}?next=/cases/"
    assert client.get(response["Location"]).status_code == 200
    response = client.post(VERIFY, {"code": code_for(device), "next": "/cases/"})
    assert response["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200


def test_the_code_page_refuses_a_wrong_code_and_throttles_guessing(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="t", confirmed=True)
    password_login(client, coordinator)
    wrong = "123456" if code_for(device) != "123456" else "654321"
    assert "Code incorrect" in client.post(VERIFY, {"code": wrong}).text
    # The next try, even with the right code, waits: six digits cannot be brute-forced.
    assert "Attendez" in client.post(VERIFY, {"code": code_for(device)}).text
    assert client.get(reverse("cases:list")).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_FAILED, actor=coordinator).count() == 1


def test_open_redirects_are_refused_after_verification(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="t", confirmed=True)
    password_login(client, coordinator)
    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_each_backup_code_works_once(client, coordinator):
    password_login(client, coordinator)
    enrol(client, coordinator)
    first = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", client.get(reverse("accounts:two_factor")).text)
    assert len(first) == 10
    assert "ne seront plus affichés" not in client.get(reverse("accounts:two_factor")).text
    client.post(reverse("accounts:two_factor_backup_codes_generate"))
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", client.get(reverse("accounts:two_factor")).text)
    assert len(codes) == 10 and not set(codes) & set(first)  # the old codes are replaced
    assert StaticToken.objects.filter(device__user=coordinator).count() == 10
    assert AuditEvent.objects.filter(action=AuditAction.BACKUP_CODES_GENERATE, actor=coordinator).count() == 2

    client.post(reverse("accounts:logout"))
    password_login(client, coordinator)
    response = client.post(VERIFY, {"code": codes[0].upper()[:4] + " " + codes[0].upper()[4:]})
    assert response.status_code == 302
    assert client.get(reverse("cases:list")).status_code == 200
    client.post(reverse("accounts:logout"))

    password_login(client, coordinator)
    assert "Code incorrect" in client.post(VERIFY, {"code": codes[0]}).text
    assert StaticToken.objects.filter(device__user=coordinator).count() == 9


def test_a_device_cannot_be_replaced_with_only_the_password(client, coordinator):
    TOTPDevice.objects.create(user=coordinator, name="t", confirmed=True)
    password_login(client, coordinator)
    assert client.get(SETUP)["Location"] == VERIFY
    assert not TOTPDevice.objects.filter(user=coordinator, confirmed=False).exists()


def test_caseworkers_choose_unless_their_organisation_requires_it(client, caseworker, team):
    password_login(client, caseworker)
    assert client.get(reverse("cases:list")).status_code == 200
    team.organisation.require_2fa_for_all = True
    team.organisation.save()
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and response["Location"].startswith(SETUP)


def test_a_caseworker_who_enrolled_gives_a_code_at_every_login(client, caseworker):
    password_login(client, caseworker)
    enrol(client, caseworker)
    client.post(reverse("accounts:logout"))
    password_login(client, caseworker)
    assert client.get(reverse("cases:list"))["Location"].startswith(VERIFY)


def test_an_admin_resets_a_lost_device_and_the_member_enrols_again(client, login_as, team, coordinator):
    admin = member(team, Role.ADMIN)
    password_login(client, coordinator)
    enrol(client, coordinator)
    assert client.get(reverse("cases:list")).status_code == 200

    response = login_as(admin).post(reverse("accounts:user_two_factor_reset", args=[coordinator.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert not StaticToken.objects.filter(device__user=coordinator).exists()
    event = AuditEvent.objects.get(action=AuditAction.TWO_FACTOR_RESET)
    assert event.actor == admin and event.object_id == str(coordinator.pk)
    # The coordinator's open session is no longer verified.
    assert client.get(reverse("cases:list"))["Location"].startswith(SETUP)


def test_reset_is_admin_only_and_scoped_to_the_organisation(login_as, team, coordinator):
    outsider_admin = member(TeamFactory(), Role.ADMIN)
    assert (
        login_as(outsider_admin).post(reverse("accounts:user_two_factor_reset", args=[coordinator.pk])).status_code
        == 404
    )
    assert (
        login_as(coordinator).post(reverse("accounts:user_two_factor_reset", args=[coordinator.pk])).status_code == 403
    )


def test_the_login_as_helper_gives_coordinators_a_verified_session(login_as, coordinator, org_admin):
    for user in (coordinator, org_admin):
        assert login_as(user).get(reverse("cases:list")).status_code == 200
