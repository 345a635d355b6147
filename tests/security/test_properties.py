"""Property-based tests (hypothesis): parsers, validators and the deadline engine never crash.

Invalid input must end as a validation error (or a refused cell), never as another exception,
and never as a 500 on the pages that take it.
"""

import csv
import datetime
import io
import string

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.enums import Role
from attempts.evidence import CheckedFile, validate_upload
from attempts.imports.parsers import CellError, parse_attempt_moments, parse_date
from cases.deadlines import deadline_for
from cases.enums import DocumentKind, ProcedureType
from cases.models import Case, Person, ResidenceDocument
from cases.services import rules_in_force
from cases.validators import normalise_foreigner_number, validate_foreigner_number, validate_plausible_date
from config.csv_export import EXCEL_FR, FORMULA_PREFIXES, RFC4180, csv_lines, format_cell
from tests.factories import member
from tests.test_attempts_evidence import PNG

TODAY = datetime.date(2026, 11, 23)
FAST = settings(max_examples=200, deadline=None)
WITH_DB = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
plausible_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))
# Text biased towards what spreadsheets and forms contain: digits, separators, accents, formula starts.
cell_text = st.text(alphabet=string.printable + "éèàçÉ/.-h:àÀ \u00a0\u202f=@+", max_size=40) | st.text(max_size=40)


@FAST
@given(st.text())
def test_foreigner_number_validation_only_ever_raises_a_validation_error(text):
    value = normalise_foreigner_number(text)
    try:
        validate_foreigner_number(value)
    except ValidationError:
        return
    assert value == "" or (len(value) == 10 and value.isdigit())


@FAST
@given(st.dates())
def test_date_plausibility_only_ever_raises_a_validation_error(day):
    try:
        validate_plausible_date(day)
    except ValidationError:
        assert not datetime.date(1900, 1, 1) <= day <= datetime.date(2100, 12, 31)


@FAST
@given(cell_text, st.booleans())
def test_the_import_date_parser_returns_a_plausible_date_or_refuses_the_cell(text, past_only):
    try:
        value = parse_date(text, today=TODAY, past_only=past_only)
    except CellError:
        return
    assert value is None or 1900 <= value.year <= 2100


@FAST
@given(cell_text)
def test_the_attempt_moments_parser_returns_aware_moments_or_refuses_the_cell(text):
    try:
        moments = parse_attempt_moments(text, today=TODAY)
    except CellError:
        return
    assert all(moment.tzinfo is not None for moment in moments)


@FAST
@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none(), st.booleans(), st.dates()))
def test_no_csv_cell_can_start_a_formula(value):
    for dialect in (RFC4180, EXCEL_FR):
        cell = format_cell(value, dialect)
        if isinstance(value, str):
            assert not cell.startswith(FORMULA_PREFIXES)
            assert cell == value or cell == "'" + value


@FAST
@given(st.lists(st.lists(st.text(), min_size=1, max_size=4), max_size=5))
def test_csv_files_parse_back_to_the_neutralised_cells(rows):
    for dialect in (RFC4180, EXCEL_FR):
        body = "".join(csv_lines(header=None, rows=rows, dialect=dialect)).removeprefix("\ufeff")
        parsed = list(csv.reader(io.StringIO(body, newline=""), delimiter=dialect.delimiter))
        expected = [[format_cell(cell, dialect) for cell in row] for row in rows]
        assert parsed == expected


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=4096) | st.binary(max_size=2048).map(lambda tail: PNG[:200] + tail))
def test_evidence_validation_of_random_bytes_accepts_or_refuses_clearly(data):
    messages = []
    try:
        checked = validate_upload(SimpleUploadedFile("capture.png", data, "image/png"))
    except ValidationError as error:
        messages = error.messages
        checked = None
    if checked is None:
        assert messages and all("refusé" in m or "fichier" in m for m in messages)
    else:
        assert isinstance(checked, CheckedFile) and checked.size == len(data)


@pytest.mark.django_db
@WITH_DB
@given(
    procedure=st.sampled_from(ProcedureType.values),
    uses_anef=st.booleans(),
    filing=st.none() | plausible_dates,
    entry=st.none() | plausible_dates,
    birth=st.none() | plausible_dates,
    documents=st.lists(
        st.tuples(st.sampled_from(DocumentKind.values), st.none() | plausible_dates, st.none() | plausible_dates),
        max_size=3,
    ),
    today=plausible_dates,
)
def test_the_deadline_engine_never_crashes(procedure, uses_anef, filing, entry, birth, documents, today):
    person = Person(last_name="X", birth_date=birth)
    case = Case(person=person, procedure=procedure, uses_anef=uses_anef, filing_date=filing, entry_date=entry)
    docs = [
        ResidenceDocument(person=person, kind=kind, valid_from=start, valid_until=end) for kind, start, end in documents
    ]
    result = deadline_for(case, rules_in_force(TODAY), today, documents=docs)
    assert result.date is None or isinstance(result.date, datetime.date)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=60), case_id=st.text(max_size=12), date_from=st.text(max_size=12))
def test_list_and_journal_filters_never_answer_500(login_as, team, q, case_id, date_from):
    client = login_as(member(team, Role.ADMIN))
    assert client.get(reverse("cases:list"), {"q": q}).status_code == 200
    response = client.get(reverse("accounts:audit_journal"), {"case_id": case_id, "date_from": date_from, "actor": q})
    assert response.status_code == 200
