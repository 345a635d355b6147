import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_see_home_and_switch_language(live_server, page, caseworker, log_in):
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)
    log_in(caseworker)
    expect(page.get_by_role("heading", name="Dossiers")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Langue").select_option("en")
    expect(page.get_by_role("heading", name="Cases")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
