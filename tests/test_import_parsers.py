"""The importer's pure value parsers and header recognition (no tuning to one file)."""

import datetime

import pytest

from attempts.imports import mapping, parsers
from attempts.imports.parsers import CellError
from attempts.imports.preview import prefecture_matcher
from cases.enums import DocumentKind, ProcedureType
from cases.models import Prefecture

TODAY = datetime.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/10/2026", datetime.date(2026, 10, 5)),
        ("5/10/26", datetime.date(2026, 10, 5)),
        ("05.10.2026", datetime.date(2026, 10, 5)),
        ("2026-10-05", datetime.date(2026, 10, 5)),
        ("5 octobre 2026", datetime.date(2026, 10, 5)),
        ("2 novembre 1985", datetime.date(1985, 11, 2)),
        ("1er mai 2026", datetime.date(2026, 5, 1)),
        ("28 août 2026", datetime.date(2026, 8, 28)),
        ("16 sept. 1993", datetime.date(1993, 9, 16)),
        ("7/1/27", datetime.date(2027, 1, 7)),
        ("2026-10-05 00:00:00", datetime.date(2026, 10, 5)),
        ("", None),
    ],
)
def test_dates_as_french_spreadsheets_write_them(text, expected):
    assert parsers.parse_date(text, today=TODAY) == expected


def test_two_digit_birth_years_are_in_the_past():
    assert parsers.parse_date("1/12/82", today=TODAY, past_only=True) == datetime.date(1982, 12, 1)
    assert parsers.parse_date("21/11/91", today=TODAY, past_only=True) == datetime.date(1991, 11, 21)


@pytest.mark.parametrize(
    ("text", "code"),
    [("31/02/2026", "date_impossible"), ("bientôt", "not_a_date"), ("12/13/2026", "date_impossible"),
     ("05/10/2026 ou après", "not_a_date"), ("05/10/1066", "date_implausible")],
)  # fmt: skip
def test_impossible_and_non_dates_are_reported_as_such(text, code):
    with pytest.raises(CellError) as raised:
        parsers.parse_date(text, today=TODAY)
    assert raised.value.code == code


def test_attempts_column_becomes_paris_datetimes():
    moments = parsers.parse_attempt_moments("17/08/2026 10h00; 14/08/2026 13h00", today=TODAY)
    assert [m.isoformat() for m in moments] == ["2026-08-17T10:00:00+02:00", "2026-08-14T13:00:00+02:00"]
    mixed = parsers.parse_attempt_moments("le 2026-01-17T9:30, 5 octobre 2026 à 21h et 6/10/26 8:15", today=TODAY)
    assert [m.strftime("%d/%m/%Y %H:%M %z") for m in mixed] == [
        "17/01/2026 09:30 +0100",
        "05/10/2026 21:00 +0200",
        "06/10/2026 08:15 +0200",
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [("09/09/2026", "attempt_without_time"), ("09/09/2026 25h00", "attempt_impossible_time"),
     ("17/08/2026 10h00; plusieurs fois", "attempt_unreadable"), ("31/09/2026 10h", "date_impossible")],
)  # fmt: skip
def test_unreadable_attempts_are_errors_not_dropped(text, code):
    with pytest.raises(CellError) as raised:
        parsers.parse_attempt_moments(text, today=TODAY)
    assert raised.value.code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [("Seine-St-Denis", "PREF-93"), ("Val-de-Marne (94)", "PREF-94"), ("Béziers (sous-préf)", "SP-34-BEZIERS"),
     ("Bobigny", "PREF-93"), ("Nanterre", "PREF-92"), ("Evry", "PREF-91"), ("Hérault", "PREF-34"),
     ("MONTPELLIER", "PREF-34"), ("93", "PREF-93"), ("Préfecture de police", "PREF-75"),
     ("Saint-Denis (93)", "SP-93-SAINT-DENIS"), ("sous-préfecture de Saint-Denis", "SP-93-SAINT-DENIS"),
     ("Préfecture du Val-d'Oise", "PREF-95"), ("2A", "PREF-2A")],
)  # fmt: skip
def test_prefectures_by_name_city_or_department(db, text, code):
    assert prefecture_matcher().match(text) == Prefecture.objects.get(code=code).pk


@pytest.mark.parametrize(
    ("text", "code"),
    [("Préfecture de Nulle-Part", "prefecture_unknown"), ("Saint-Denis", "prefecture_ambiguous"),
     ("Nanterre (93)", "prefecture_unknown")],
)  # fmt: skip
def test_unknown_or_ambiguous_prefecture_is_an_error(db, text, code):
    with pytest.raises(CellError) as raised:
        prefecture_matcher().match(text)
    assert raised.value.code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [("Sénégalaise", "SN"), ("algerie", "DZ"), ("TUNISIE", "TN"), ("Congolaise (RDC)", "CD"), ("congolais", "CG"),
     ("ivoirienne", "CI"), ("Comorienne", "KM"), ("Guinéenne", "GN"), ("Malian", "ML"), ("ma", "MA")],
)  # fmt: skip
def test_nationalities_to_iso_codes(text, code):
    assert parsers.parse_nationality(text) == code


def test_unknown_nationality_is_reported():
    with pytest.raises(CellError):
        parsers.parse_nationality("Atlante")


@pytest.mark.parametrize(
    ("text", "value"),
    [("renouv.", ProcedureType.RENEWAL), ("renouvellement CST", ProcedureType.RENEWAL),
     ("1ère demande", ProcedureType.FIRST_APPLICATION), ("Première demande AES", ProcedureType.FIRST_APPLICATION),
     ("Changement de statut", ProcedureType.CHANGE_OF_STATUS), ("Duplicata", ProcedureType.DUPLICATE),
     ("Naturalisation", ProcedureType.NATURALISATION_DECREE), ("renewal", ProcedureType.RENEWAL)],
)  # fmt: skip
def test_procedures(text, value):
    assert parsers.parse_procedure(text) == value


@pytest.mark.parametrize(
    ("text", "value", "years"),
    [("CST vie privée", DocumentKind.TEMPORARY_CARD, None), ("APS", DocumentKind.APS, None),
     ("Récépissé", DocumentKind.RECEPISSE, None), ("VLS-TS étudiant", DocumentKind.VLS_TS, None),
     ("CSP 4 ans", DocumentKind.MULTI_YEAR_CARD, 4), ("Carte de résident", DocumentKind.RESIDENT_CARD, None),
     ("CR algérien 10 ans", DocumentKind.ALGERIAN_CERTIFICATE, 10)],
)  # fmt: skip
def test_document_kinds(text, value, years):
    assert parsers.parse_document_kind(text) == (value, years)


def test_unrecognised_procedure_and_document_are_reported():
    with pytest.raises(CellError):
        parsers.parse_procedure("on verra")
    with pytest.raises(CellError):
        parsers.parse_document_kind("papier bleu")


def test_header_variants_in_any_order():
    headers = ["Tentatives RDV", "NOM DE FAMILLE", "né(e) le", "Prénom", "fin de validité", "Remarques",
               "Récépissé valable jusqu'au", "Nationalité", "Préfecture", "Démarche", "Colonne perso"]  # fmt: skip
    assert mapping.propose(headers) == [
        "attempts", "last_name", "birth_date", "first_name", "document_valid_until", "notes",
        "recepisse_valid_until", "nationality", "prefecture", "procedure", "",
    ]  # fmt: skip
    english = ["Date of birth", "Last name", "First name", "Expiry date", "Attempts", "Notes", "Prefecture"]
    assert mapping.propose(english) == [
        "birth_date", "last_name", "first_name", "document_valid_until", "attempts", "notes", "prefecture",
    ]  # fmt: skip
    assert mapping.propose(["Date de naissance", "Expiration titre", "NOM"]) == [
        "birth_date", "document_valid_until", "last_name",
    ]  # fmt: skip


def test_mapping_validation_says_what_is_missing():
    assert mapping.validate(["last_name", "prefecture", "procedure"], {}) == []
    problems = mapping.validate(["first_name", "first_name"], {})
    assert len(problems) == 4
    assert mapping.validate(["last_name"], {"prefecture": 1, "procedure": "renewal"}) == []
