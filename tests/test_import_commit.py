"""The import pipeline on the legacy fixture and on files that differ from it in every way."""

import codecs
import datetime
import io
from pathlib import Path

import openpyxl
import pytest
import time_machine

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from attempts.enums import RecordedVia
from attempts.imports import commit, services
from attempts.imports.models import ImportBatch, ImportedRow
from attempts.models import Attempt
from attempts.selectors import attempt_stats
from cases.enums import DocumentKind, ProcedureType
from cases.models import Case, Person, ResidenceDocument
from config.csv_export import csv_lines
from tests.factories import PersonFactory, member, prefecture

LEGACY = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "legacy-cases.csv"
if not LEGACY.exists():  # the fixture lives beside the repository in /work/shared
    LEGACY = Path("/work/shared/fixtures/legacy-cases.csv")
AFTER_THE_FILE = datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _after_the_file():
    # The fixture's attempts run until late November 2026: read it as of 1 December.
    with time_machine.travel(AFTER_THE_FILE, tick=False):
        yield


@pytest.fixture
def importer(team):
    return member(team, Role.COORDINATOR)


def preview(user, team, name, data, **kwargs):
    batch = services.import_batch_upload(by=user, team=team, name=name, data=data)
    return services.import_batch_map(batch=batch, columns=batch.columns, defaults=kwargs.get("defaults", {}), by=user)


def rows_by_line(batch):
    return {entry["line"]: entry for entry in batch.preview["rows"]}


def codes(entry):
    return {(p["field"], p["code"]) for p in entry["errors"]}


def test_legacy_file_is_read_and_mapped(importer, team):
    batch = preview(importer, team, "legacy-cases.csv", LEGACY.read_bytes())
    assert (batch.encoding, batch.delimiter) == ("cp1252", ";")
    assert batch.headers[1] == "Prénom"
    assert batch.columns == [
        "last_name", "first_name", "birth_date", "nationality", "phone", "email", "prefecture", "procedure",
        "document_kind", "document_valid_until", "recepisse_valid_until", "attempts", "notes",
    ]  # fmt: skip
    summary = batch.preview["summary"]
    assert summary["rows"] == 36  # the blank line is skipped
    assert summary["errors"] == 4


def test_legacy_errors_are_reported_per_row_with_the_reason(importer, team):
    rows = rows_by_line(preview(importer, team, "legacy-cases.csv", LEGACY.read_bytes()))
    errors = {line: codes(entry) for line, entry in rows.items() if entry["status"] == "error"}
    assert errors == {
        12: {("document_valid_until", "date_impossible")},  # 31/02/2026
        15: {("last_name", "name_missing")},
        16: {("document_valid_until", "not_a_date")},  # "bientôt"
        17: {("prefecture", "prefecture_unknown")},  # "Préfecture de Nulle-Part"
    }
    assert rows[12]["errors"][0]["params"] == {"value": "31/02/2026"}
    assert 23 not in rows  # the blank line


def test_legacy_duplicates_are_proposed_inside_the_file(importer, team):
    rows = rows_by_line(preview(importer, team, "legacy-cases.csv", LEGACY.read_bytes()))
    assert [d["line"] for d in rows[5]["in_file"]] == [4]  # NGUYEN Oumar twice
    assert rows[5]["choice"] == "merge-line:4"
    assert [d["line"] for d in rows[10]["in_file"]] == [9]  # Mansouri Mohamed / Mohammed, same birth date


def test_duplicates_of_people_already_in_the_organisation(importer, team):
    known = PersonFactory(team=team, last_name="Mbemba", first_name="Sarah", birth_date=datetime.date(1985, 11, 2))
    PersonFactory(last_name="Mbemba", first_name="Sarah", birth_date=datetime.date(1985, 11, 2))  # another org
    rows = rows_by_line(preview(importer, team, "legacy-cases.csv", LEGACY.read_bytes()))
    assert [d["person"] for d in rows[2]["existing"]] == [known.pk]
    assert rows[2]["choice"] == f"merge:{known.pk}"


def test_commit_creates_people_cases_documents_and_imported_attempts(importer, team):
    batch = preview(importer, team, "legacy-cases.csv", LEGACY.read_bytes())
    assert services.import_batch_start(batch=batch, by=importer) == "done"
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert not batch.stored_file
    counts = batch.counts
    assert counts["rows_error"] == 4
    # 32 valid rows; NGUYEN's second row and Mohammed's row are merged into the first ones.
    assert counts["rows_imported"] == 32 and counts["rows_merged"] == 2
    assert Person.objects.filter(organisation=team.organisation).count() == counts["persons_created"] == 30
    sarah = Case.objects.get(person__last_name="MBEMBA", person__first_name="Sarah")
    assert sarah.person.birth_date == datetime.date(1985, 11, 2)
    assert sarah.person.nationality == "SN"
    assert sarah.person.has_no_email
    assert sarah.procedure == ProcedureType.FIRST_APPLICATION
    assert sarah.prefecture == prefecture("PREF-94")
    assert sarah.attempt_count == 2
    assert sarah.last_attempt_at == datetime.datetime(2026, 8, 17, 8, 0, tzinfo=datetime.UTC)
    document = ResidenceDocument.objects.get(person=sarah.person)
    assert (document.kind, document.valid_until) == (DocumentKind.TEMPORARY_CARD, datetime.date(2026, 9, 4))
    attempts = Attempt.objects.filter(case__person__organisation=team.organisation)
    assert attempts.count() == counts["attempts_created"]
    assert set(attempts.values_list("recorded_via", flat=True)) == {RecordedVia.IMPORT}
    stats = attempt_stats([sarah.pk])[sarah.pk]
    assert (stats.count, stats.imported, stats.with_evidence) == (2, 2, 0)
    # Mohammed's row went to the same person as Mohamed's, as a second case (another prefecture).
    mansouri = Person.objects.get(last_name="Mansouri", first_name="Mohamed")
    assert mansouri.cases.count() == 2
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.details["file_sha256"] == batch.file_hash
    assert event.details["persons_created"] == 30
    assert "MBEMBA" not in str(event.details)


def test_formula_cell_is_stored_as_text_and_exported_neutralised(importer, team):
    batch = preview(importer, team, "legacy-cases.csv", LEGACY.read_bytes())
    services.import_batch_start(batch=batch, by=importer)
    case = Case.objects.get(person__first_name="Chancelvie", person__last_name="Mbemba")
    assert case.notes == '=HYPERLINK("http://example.invalid/x","cliquer")'
    exported = "".join(csv_lines(header=["notes"], rows=[[case.notes]]))
    assert "'=HYPERLINK" in exported


def test_running_the_same_file_twice_duplicates_nothing(importer, team):
    data = LEGACY.read_bytes()
    services.import_batch_start(batch=preview(importer, team, "legacy-cases.csv", data), by=importer)
    before = (Person.objects.count(), Case.objects.count(), Attempt.objects.count(), ResidenceDocument.objects.count())
    again = preview(importer, team, "copie.csv", data)
    assert again.preview["summary"]["already"] == 32
    assert again.preview["summary"]["valid"] == 0
    services.import_batch_start(batch=again, by=importer)
    after = (Person.objects.count(), Case.objects.count(), Attempt.objects.count(), ResidenceDocument.objects.count())
    assert after == before


def test_a_failure_in_the_middle_leaves_nothing(importer, team, monkeypatch):
    real = commit._write_chunk
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(commit, "CHUNK", 10)
    monkeypatch.setattr(commit, "_write_chunk", failing)
    batch = preview(importer, team, "legacy-cases.csv", LEGACY.read_bytes())
    assert services.import_batch_start(batch=batch, by=importer) == "failed"
    assert len(calls) == 2
    assert not Person.objects.exists() and not Case.objects.exists() and not Attempt.objects.exists()
    assert not ImportedRow.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and "disk full" in batch.failure
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()
    # The file is still there: the same batch can be tried again and then imports everything.
    monkeypatch.setattr(commit, "_write_chunk", real)
    assert services.import_batch_start(batch=batch, by=importer) == "done"
    assert Person.objects.count() == 30


def test_choices_skip_and_create_are_respected(importer, team):
    batch = preview(importer, team, "legacy-cases.csv", LEGACY.read_bytes())
    services.import_batch_choose(batch=batch, choices={"5": "skip", "10": "create", "2": "merge:999999"})
    assert batch.choices == {"5": "skip", "10": "create"}  # a merge target not offered is refused
    services.import_batch_start(batch=batch, by=importer)
    batch.refresh_from_db()
    assert batch.counts["rows_skipped"] == 1
    assert Person.objects.filter(last_name__iexact="mansouri", birth_date=datetime.date(1982, 12, 1)).count() == 2


def _bom_comma_file():
    text = (
        "First name,Last name,Date of birth,Prefecture,Procedure,Expiry date,Attempts,Notes\r\n"
        'Awa,Ndiaye,1990-03-04,Bobigny,renouvellement,"5 octobre 2027","02/11/2026 9h30, 09/11/2026 14h00",ok\r\n'
        "Moussa,Traoré,4/3/90,Créteil (94),1ère demande,,,\r\n"
        'Awa,NDIAYE,04.03.1990,Bobigny,Duplicata,,,"=1+2"\r\n'
        ",,,,,,,\r\n"
        "Lina,Haddad,30/02/1999,Lyon,Renouvellement,,,\r\n"
    )
    return codecs.BOM_UTF8 + text.encode("utf-8")


def test_utf8_bom_comma_english_headers(importer, team):
    batch = preview(importer, team, "export.csv", _bom_comma_file())
    assert (batch.encoding, batch.delimiter) == ("utf-8-bom", ",")
    assert batch.headers[0] == "First name"  # no BOM left in the header
    rows = rows_by_line(batch)
    assert rows[2]["attempts"] == 2 and rows[2]["prefecture"] == "Préfecture de la Seine-Saint-Denis"
    assert rows[3]["name"] == "TRAORÉ Moussa" and rows[3]["birth_date"] == "04/03/1990"
    assert [d["line"] for d in rows[4]["in_file"]] == [2]  # same person, another spelling of the date
    assert codes(rows[6]) == {("birth_date", "date_impossible")}
    assert 5 not in rows


def test_utf8_tab_separated_other_french_headers(importer, team):
    text = (
        "Démarche\tNOM DE FAMILLE\tPrénom(s)\tné(e) le\tfin de validité\tTitre\tPréfecture\tN° étranger\tTentatives\n"
        "renouv.\tDiallo\tMariam\t12/12/1988\t01/03/2027\tCSP 4 ans\tVal-de-Marne (94)\t75 1234 5678\t\n"
        "Changement de statut\tSow\tAli\t1/1/01\t2027-02-01\tcarte de séjour temporaire\tNanterre\t\t20/11/2026 8h\n"
    )
    batch = preview(importer, team, "groupe.tsv", text.encode("utf-8"))
    assert (batch.encoding, batch.delimiter) == ("utf-8", "\t")
    assert batch.columns == ["procedure", "last_name", "first_name", "birth_date", "document_valid_until",
                             "document_kind", "prefecture", "foreigner_number", "attempts"]  # fmt: skip
    assert batch.preview["summary"]["errors"] == 0
    services.import_batch_start(batch=batch, by=importer)
    diallo = Person.objects.get(last_name="Diallo")
    assert diallo.foreigner_number == "7512345678"
    document = diallo.documents.get()
    assert (document.kind, document.duration_years) == (DocumentKind.MULTI_YEAR_CARD, 4)
    assert Person.objects.get(last_name="Sow").birth_date == datetime.date(2001, 1, 1)


def test_xlsx_built_in_the_test_keeps_formulas_as_text(importer, team):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Remarques", "Nom", "Prénom", "Date de naissance", "Préfecture", "Démarche", "Tentatives RDV"])
    sheet.append(['=HYPERLINK("http://example.invalid","x")', "Camara", "Fanta", datetime.date(1984, 7, 9),
                  "Hérault", "Renouvellement", "03/11/2026 10h15"])  # fmt: skip
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(["=1+1", "Keita", "Sidi", "bientôt", "34", "Naturalisation", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = preview(importer, team, "classeur.xlsx", buffer.getvalue())
    assert batch.file_format == "xlsx"
    rows = rows_by_line(batch)
    assert rows[2]["birth_date"] == "09/07/1984" and rows[2]["attempts"] == 1
    assert codes(rows[4]) == {("birth_date", "not_a_date")}
    services.import_batch_start(batch=batch, by=importer)
    assert Case.objects.get().notes == '=HYPERLINK("http://example.invalid","x")'


def test_refused_uploads_change_nothing(importer, team, settings):
    with pytest.raises(services.ImportRefused):
        services.import_batch_upload(by=importer, team=team, name="photo.png", data=b"\x89PNG")
    with pytest.raises(services.ImportRefused):
        services.import_batch_upload(by=importer, team=team, name="vide.csv", data=b"Nom;Prenom\r\n")
    with pytest.raises(services.ImportRefused):
        services.import_batch_upload(by=importer, team=team, name="faux.xlsx", data=b"PK\x03\x04garbage\x00")
    settings.IMPORT_MAX_BYTES = 10
    with pytest.raises(services.ImportRefused):
        services.import_batch_upload(by=importer, team=team, name="gros.csv", data=b"Nom;Prenom\r\nA;B\r\n")
    assert not ImportBatch.objects.exists()
