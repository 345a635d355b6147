"""Browser journey: upload a spreadsheet, correct one column, preview, commit, open the cases."""

from pathlib import Path

import pytest

from accounts.enums import Role
from tests.browser.conftest import assert_accessible
from tests.factories import TeamFactory, member

CSV = (
    "NOM DE FAMILLE;Prénom;né(e) le;Guichet;Démarche;Tentatives RDV\r\n"
    "Ndiaye;Awa;04/03/1990;Bobigny;Renouvellement;02/11/2026 9h30; 09/11/2026 14h00\r\n"
    "Sow;Ali;31/02/1990;Nanterre;1ère demande;\r\n"
    "Camara;Fanta;09/07/1984;Evry;Duplicata;\r\n"
)


@pytest.mark.django_db(transaction=True)
def test_upload_correct_preview_commit_and_see_the_cases(live_server, page, log_in, tmp_path):
    team = TeamFactory(name="Permanence Bobigny")
    log_in(member(team, Role.COORDINATOR))
    path: Path = tmp_path / "suivi.csv"
    path.write_text(CSV.replace("; 09/11", ", 09/11"), encoding="cp1252")

    page.goto(live_server.url + "/attempts/import/")
    page.get_by_label("Fichier (CSV ou XLSX)").set_input_files(str(path))
    page.get_by_label("Équipe qui suivra les dossiers").select_option(label="Permanence Bobigny")
    page.get_by_role("button", name="Lire le fichier").click()

    # "Guichet" is not a known header: the user maps it by hand.
    column = page.get_by_label("Guichet")
    assert column.input_value() == ""
    column.select_option(label="Préfecture")
    page.get_by_role("button", name="Voir l'aperçu").click()

    assert page.get_by_role("heading", name="Aperçu de l'import").is_visible()
    assert page.get_by_text("Date impossible : le 31/02/1990 n'existe pas.").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Importer 2 lignes").click()

    assert page.get_by_text("2 dossiers créés").is_visible()
    page.get_by_role("link", name="NDIAYE Awa · Renouvellement").click()
    assert page.get_by_role("heading", name="NDIAYE Awa").is_visible()
    page.goto(live_server.url + "/cases/")
    assert page.get_by_role("link", name="NDIAYE Awa").is_visible()
    assert page.get_by_role("link", name="CAMARA Fanta").is_visible()
