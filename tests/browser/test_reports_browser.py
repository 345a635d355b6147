import csv
import io

import pytest
from playwright.sync_api import expect

from cases.enums import Urgency
from tests.browser.conftest import assert_accessible
from tests.factories import CaseFactory, PersonFactory, TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _prefectures(transactional_db):
    # Transactional tests start from a flushed database: reload the reference data they need.
    from cases.models import Prefecture
    from cases.reference_data import load_prefectures

    if not Prefecture.objects.exists():
        load_prefectures(Prefecture)


def test_coordinator_goes_from_an_urgency_count_to_the_list_and_exports_it(
    live_server, page, coordinator, team, log_in
):
    for name in ("Zerrouki", "Ouattara"):
        CaseFactory(team=team, urgency=Urgency.EXPIRED, person=PersonFactory(team=team, last_name=name))
    CaseFactory(team=team, urgency=Urgency.D30)
    CaseFactory(team=TeamFactory(), urgency=Urgency.EXPIRED, person__last_name="Fofana")  # another organisation

    log_in(coordinator)  # coordinators land on the dashboard
    expect(page.get_by_role("heading", name="Tableau de bord", level=1)).to_be_visible()
    assert_accessible(page)

    deadlines = page.get_by_role("table", name="Échéances des dossiers ouverts")
    expired = deadlines.get_by_role("row", name=team.name).get_by_role("link").first
    expect(expired).to_have_text("2")
    expired.click()

    expect(page.get_by_role("heading", name="Dossiers", level=1)).to_be_visible()
    expect(page.get_by_text("2 dossiers")).to_be_visible()
    expect(page.get_by_role("link", name="ZERROUKI", exact=False)).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV pour Excel").click()
    download = download_info.value
    assert download.suggested_filename.startswith("dossiers-") and download.suggested_filename.endswith(".csv")
    text = open(download.path(), encoding="utf-8-sig").read()  # noqa: PTH123, SIM115
    header, *rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert sorted(r[header.index("last_name")] for r in rows) == ["Ouattara", "Zerrouki"]


def test_charts_page_is_accessible(live_server, page, coordinator, log_in):
    log_in(coordinator)
    page.goto(live_server.url + "/dashboard/charts/")
    expect(page.get_by_role("heading", name="Statistiques", level=1)).to_be_visible()
    page.get_by_text("Voir les données").first.click()
    assert_accessible(page)
    page.goto(live_server.url + "/exports/")
    assert_accessible(page)


def test_coordinator_goes_from_an_unexecuted_order_count_to_its_queue_then_exports_the_outcomes(
    live_server, page, coordinator, team, other_team, log_in
):
    from tests.factories import order_not_executed

    late = order_not_executed(CaseFactory(team=team, person=PersonFactory(team=team, last_name="Zerrouki")))
    order_not_executed(CaseFactory(team=other_team, person=PersonFactory(team=other_team, last_name="Camara")))

    log_in(coordinator)
    orders = page.get_by_role("table", name="Ordonnances non exécutées (délai fixé par le juge dépassé)")
    figure = orders.get_by_role("row", name=team.name).get_by_role("link")
    expect(figure).to_have_text("1")
    figure.click()

    expect(page.get_by_role("heading", name="Contentieux", level=1)).to_be_visible()
    expect(page.get_by_label("Équipe")).to_have_value(str(team.pk))
    queue = page.get_by_role("region", name="Ordonnance non exécutée")
    expect(queue.get_by_text("ZERROUKI", exact=False)).to_be_visible()
    expect(page.get_by_text("CAMARA", exact=False)).to_have_count(0)
    expect(page.get_by_role("heading", name="Prêts pour un référé")).to_have_count(0)  # only the linked queue
    assert_accessible(page)

    page.goto(live_server.url + "/exports/")
    form = page.get_by_role("region", name="Recours contentieux")
    form.get_by_label("Équipe").select_option(str(team.pk))
    form.get_by_label("Pseudonymiser").check()
    with page.expect_download() as download_info:
        form.get_by_role("button", name="Exporter les recours").click()
    download = download_info.value
    assert download.suggested_filename.startswith("contentieux-pseudonymise-")
    text = open(download.path(), encoding="utf-8-sig").read()  # noqa: PTH123, SIM115
    header, *rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert [(r[header.index("action_id")], r[header.index("order_not_executed")]) for r in rows] == [
        (str(late.pk), "oui")
    ]
    assert "Zerrouki" not in text and "last_name" not in header
