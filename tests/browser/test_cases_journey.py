import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.names import search_key
from tests.browser.conftest import assert_accessible
from tests.factories import CaseFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_a_person_and_a_case_past_the_duplicate_warning(live_server, page, caseworker, team, log_in):
    existing = PersonFactory(
        team=team, last_name="Ben Ali", first_name="Mohammed", birth_date=datetime.date(1990, 5, 14)
    )
    existing.search_key = search_key(existing.last_name, existing.first_name, "")
    existing.save()
    CaseFactory(team=team, person=existing)
    expiry = timezone.localdate() + datetime.timedelta(days=20)

    log_in(caseworker)
    page.goto(live_server.url + "/cases/new/")
    assert_accessible(page)
    page.locator("#id_last_name").fill("Benali")
    page.locator("#id_first_name").fill("Mohamed")
    page.locator("#id_birth_date").fill("1990-05-14")
    page.locator("#id_birth_date").blur()
    # The warning appears while typing (htmx), before anything is saved.
    expect(page.get_by_role("heading", name="Cette personne existe peut-être déjà")).to_be_visible()
    expect(page.get_by_role("button", name="Utiliser cette personne")).to_be_visible()
    assert_accessible(page)

    page.locator("#prefecture-filter").fill("bobigny")
    expect(page.locator("#id_prefecture")).to_have_value(str(_prefecture_pk("PREF-93")))
    page.locator("#id_document_kind").select_option(label="Carte de séjour temporaire")
    page.locator("#id_valid_until").fill(expiry.isoformat())
    page.get_by_role("button", name="Ouvrir le dossier").click()
    # Submitting re-checks on the server: the same warning, with the choice to go on.
    expect(page.get_by_role("heading", name="Cette personne existe peut-être déjà")).to_be_visible()
    page.get_by_role("button", name="Ce n'est pas la même personne : créer une nouvelle fiche").click()

    expect(page.get_by_role("heading", name="BENALI Mohamed")).to_be_visible()
    expect(page.get_by_text("Expiration du titre de séjour (droits menacés) :")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Dossiers", exact=True).click()
    row = page.get_by_role("row").filter(has_text="BENALI Mohamed")
    expect(row).to_contain_text(expiry.strftime("%d/%m/%Y"))
    expect(row).to_contain_text("30 jours ou moins")
    assert_accessible(page)


def _prefecture_pk(code):
    from cases.models import Prefecture

    return Prefecture.objects.get(code=code).pk
