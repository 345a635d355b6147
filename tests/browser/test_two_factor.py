import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_enrols_with_the_secret_shown_on_the_page(live_server, page, coordinator):
    page.goto(live_server.url + "/cases/")
    page.get_by_label("Adresse e-mail").fill(coordinator.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Activer la double authentification")).to_be_visible()
    expect(page.get_by_role("img", name="QR code de configuration de la double authentification")).to_be_visible()
    assert_accessible(page)
    secret = page.locator("code.otp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code à 6 chiffres affiché par l'application").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_role("heading", name="Vos codes de secours")).to_be_visible()
    assert page.locator(".backup-codes li").count() == 10
    assert_accessible(page)
    page.get_by_role("link", name="Dossiers").click()
    expect(page.get_by_role("heading", name="Dossiers")).to_be_visible()


def test_the_shared_log_in_fixture_passes_the_second_step_for_an_admin(live_server, page, org_admin, log_in):
    log_in(org_admin)
    # Admins and coordinators land on the dashboard.
    expect(page.get_by_role("heading", name="Tableau de bord")).to_be_visible()
