import django_rq
import pytest
from playwright.sync_api import expect
from rq import SimpleWorker

from tests.browser.conftest import assert_accessible
from tests.factories import CaseFactory
from tests.litigation_helpers import granted_pattern

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _prefectures(transactional_db):
    # Transactional tests start from a flushed database: reload the reference data they need.
    from cases.models import Prefecture
    from cases.reference_data import load_prefectures

    if not Prefecture.objects.exists():
        load_prefectures(Prefecture)


def test_open_a_ready_case_build_the_dossier_and_download_it(live_server, page, team, caseworker, log_in):
    case = CaseFactory(team=team)
    granted_pattern(case)
    queue = django_rq.get_queue("documents")
    queue.empty()
    log_in(caseworker)

    page.goto(live_server.url + "/litigation/")
    ready = page.locator("#queue-refere").locator("..")
    expect(ready.get_by_role("link", name=case.person.full_name)).to_be_visible()
    assert_accessible(page)
    ready.get_by_role("link", name=case.person.full_name).click()

    expect(page.get_by_text("Prêt pour un référé")).to_be_visible()
    expect(page.get_by_text("Tentatives sur 11 jours différents (10 requis) ✓")).to_be_visible()
    page.get_by_role("link", name="Lettre, relevé, dossier de référé, réclamation").click()
    dossier = page.get_by_role("region", name="Dossier de référé (pièces et bordereau)")
    expect(dossier.get_by_label("Exposé des faits")).to_contain_text("tentatives de prise de rendez-vous")
    dossier.get_by_label("Exposé des faits").fill("Exposé relu et corrigé par l'équipe.")
    dossier.get_by_role("button", name="Construire le PDF").click()

    expect(page.get_by_text("En file d'attente")).to_be_visible()
    assert_accessible(page)
    SimpleWorker([queue], connection=queue.connection).work(burst=True)  # the page polls meanwhile
    download_link = page.get_by_role("link", name="Télécharger le PDF")
    expect(download_link).to_be_visible(timeout=10_000)
    with page.expect_download() as info:
        download_link.click()
    path = info.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    expect(page.get_by_role("link", name="Télécharger les pièces (ZIP, Télérecours)")).to_be_visible()
