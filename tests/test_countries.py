"""Nationality: a country from the ISO list, chosen by its French name, shown by name everywhere."""

import csv
import io

import pytest
from django.template import Context, Template
from django.urls import reverse

from cases import countries
from cases.models import Case, Person
from tests.conftest import login
from tests.factories import open_case
from tests.test_case_new import NEW, new_case
from tests.test_case_pages import person_post

pytestmark = pytest.mark.django_db


def test_data_file_holds_every_current_code_once_with_a_french_name():
    with countries.COUNTRIES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    codes = [row["code"] for row in rows]
    # 249 ISO 3166-1 codes, plus XK (Kosovo), used by the French administration.
    assert len(codes) == len(set(codes)) == 250
    assert len({row["name"] for row in rows}) == 250
    assert all(len(code) == 2 and code.isascii() and code.isalpha() and code.isupper() for code in codes)
    assert countries.nationality_label("SN") == "Sénégal"
    assert countries.nationality_label("cd") == "Congo (République démocratique du)"
    assert countries.nationality_label("CI") == "Côte d'Ivoire"
    assert countries.nationality_label("KM") == "Comores"
    assert countries.nationality_label("") == ""


def test_choices_hold_every_code_sorted_by_name_ignoring_accents():
    choices = countries.country_choices()
    assert {code for code, _name in choices} == set(countries.countries())
    names = [name for _code, name in choices]
    assert names == sorted(names, key=countries.sort_key)
    # "Égypte" and "Équateur" sort among the E, not after "Zimbabwe" as plain code-point order would.
    e_block = ["Égypte", "Émirats arabes unis", "Équateur", "Érythrée", "Espagne", "Estonie"]
    start = names.index("Égypte")
    assert names[start : start + len(e_block)] == e_block and names.index("Danemark") < start
    assert names[-1] == "Zimbabwe"


def test_every_code_the_spreadsheet_import_produces_is_a_known_country():
    from attempts.imports import parsers

    assert set(parsers.nationality_table().values()) <= set(countries.countries())


def test_person_form_offers_a_select_of_french_names_with_an_empty_choice(caseworker, team):
    case = open_case(team, person_nationality="SN")
    page = login(caseworker).get(reverse("cases:person_edit", args=[case.pk]))
    assert '<select name="nationality"' in page.text
    assert '<option value="SN" selected>Sénégal</option>' in page.text
    assert '<option value="">— Non renseignée —</option>' in page.text
    assert page.text.count("<option value=") >= 251


def test_person_form_refuses_an_unknown_code_and_keeps_a_known_one(caseworker, team):
    case = open_case(team)
    client = login(caseworker)
    url = reverse("cases:person_edit", args=[case.pk])
    response = client.post(url, person_post(case.person, nationality="XX"))
    assert response.status_code == 200
    assert response.context["form"].errors["nationality"] == [
        "« XX » n'est pas un pays connu : choisissez la nationalité dans la liste."
    ]
    assert Person.objects.get(pk=case.person_id).version == 1
    response = client.post(url, person_post(case.person, nationality="KM"))
    assert response.status_code == 302
    assert Person.objects.get(pk=case.person_id).nationality == "KM"


def test_new_case_form_refuses_an_unknown_code(caseworker, team):
    response = login(caseworker).post(NEW, new_case(team, nationality="XX"))
    assert response.status_code == 200
    assert "n'est pas un pays connu" in response.context["form"].errors["nationality"][0]
    assert not Case.objects.filter(person__last_name="Benali").exists()


def test_model_validation_refuses_an_unknown_code(team):
    person = open_case(team).person
    person.nationality = "XX"
    with pytest.raises(Exception, match="n'est pas un pays connu"):
        person.full_clean()


def test_case_page_shows_the_french_name(caseworker, team):
    case = open_case(team, person_nationality="SN")
    text = login(caseworker).get(reverse("cases:detail", args=[case.pk])).text
    assert "<dt>Nationalité</dt><dd>Sénégal</dd>" in text


def test_template_filter():
    template = Template("{% load cases_tags %}{{ code|nationality_label|default:'—' }}")
    assert template.render(Context({"code": "CD"})) == "Congo (République démocratique du)"
    assert template.render(Context({"code": ""})) == "—"


def test_cases_export_keeps_the_code_and_appends_the_french_name(login_as, coordinator, team):
    case = open_case(team, person_nationality="DZ")
    response = login_as(coordinator).get(reverse("reports:cases_export"))
    body = b"".join(response.streaming_content).decode()
    header, *rows = list(csv.reader(io.StringIO(body, newline="")))
    assert header[-1] == "nationality_label"
    row = next(r for r in rows if r[0] == str(case.pk))
    assert row[header.index("nationality")] == "DZ"
    assert row[-1] == "Algérie"
