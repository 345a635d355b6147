"""The caseworker's workspace: /cases/ tabs, filters, search, sort, pagination, query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.enums import CaseStatus, ProcedureType, Urgency
from cases.models import Case, Person
from cases.names import search_key
from tests.conftest import login
from tests.factories import CaseFactory, PersonFactory, TeamFactory, member, open_case

pytestmark = pytest.mark.django_db
LIST = reverse("cases:list")


def names_in(response):
    return [case.person.last_name for case in response.context["page"]]


def test_my_cases_tab_by_default_and_teams_tab(caseworker, team):
    mine = open_case(team, assignee=caseworker, person_last_name="Mienne")
    other = open_case(team, person_last_name="Collègue")
    client = login(caseworker)
    assert names_in(client.get(LIST)) == [mine.person.last_name]
    assert sorted(names_in(client.get(LIST, {"scope": "teams"}))) == sorted(["Mienne", other.person.last_name])


def test_sorted_by_urgency_then_next_deadline_with_next_action_words(caseworker, team):
    for days, name in [(200, "Tard"), (-3, "Echu"), (20, "Bientot"), (5, "Urgent"), (45, "Moyen")]:
        open_case(team, expiry_in_days=days, assignee=caseworker, person_last_name=name, uses_anef=False)
    response = login(caseworker).get(LIST)
    assert names_in(response) == ["Echu", "Urgent", "Bientot", "Moyen", "Tard"]
    text = response.text
    assert "Échu" in text and "7 jours ou moins" in text
    assert "Expiration du titre de séjour (droits menacés)" in text
    assert "Échéance dépassée : demander conseil sans attendre" in text
    assert "Envoyer une demande écrite et préparer le référé" in text


# Session, user, 2FA device, memberships (role and teams), notifications badge, count, page rows,
# the filter menus (prefectures, teams, assignees), session save: none depends on the row count.
LIST_QUERIES = 16


def test_list_query_count_is_constant_with_5_or_200_cases(caseworker, team):
    client = login(caseworker)
    counts = []
    for total in (5, 200):
        while Case.objects.count() < total:
            open_case(team, expiry_in_days=Case.objects.count() % 120 - 10, assignee=caseworker)
        client.get(LIST)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, {"scope": "teams"})
        assert response.status_code == 200
        assert len(response.context["page"]) == min(total, 50)
        counts.append(len(queries))
    assert counts == [LIST_QUERIES, LIST_QUERIES]


def test_filters_status_procedure_urgency_team_and_assignee(coordinator, team, other_team):
    helper = member(team)
    a = open_case(team, expiry_in_days=3, status=CaseStatus.ATTEMPTING, assignee=helper, person_last_name="Alpha")
    open_case(team, expiry_in_days=100, status=CaseStatus.INTAKE, person_last_name="Beta")
    open_case(other_team, procedure=ProcedureType.FIRST_APPLICATION, status=CaseStatus.INTAKE, person_last_name="Gamma")
    client = login(coordinator)
    assert names_in(client.get(LIST, {"status": "attempting"})) == ["Alpha"]
    assert names_in(client.get(LIST, {"procedure": "first_application"})) == ["Gamma"]
    assert names_in(client.get(LIST, {"urgency": Urgency.D7})) == ["Alpha"]
    assert sorted(names_in(client.get(LIST, {"team": other_team.pk}))) == ["Gamma"]
    assert names_in(client.get(LIST, {"assignee": helper.pk})) == [a.person.last_name]
    assert names_in(client.get(LIST, {"readiness": "ready_for_refere"})) == []


@pytest.mark.parametrize(
    "query",
    ["aicha", "AÏCHA", "ben ali", "benali", "Mohammed", "muhammad", "Ben-Ali Aïcha", "0712345678", "07123"],
)
def test_search_is_accent_and_case_insensitive_across_aliases_and_by_number(query, caseworker, team):
    person = PersonFactory(
        team=team,
        last_name="Benali",
        first_name="Aïcha",
        aliases="Mohamed Ben Ali",
        foreigner_number="0712345678",
    )
    person.search_key = search_key(person.last_name, person.first_name, person.aliases)
    person.save()
    CaseFactory(team=team, person=person)
    open_case(team, person_last_name="Diallo", person_first_name="Oumar")
    response = login(caseworker).get(LIST, {"scope": "teams", "q": query})
    assert names_in(response) == ["Benali"]


def test_other_team_cases_are_absent_from_list_and_search(caseworker, team, other_team):
    open_case(other_team, person_last_name="Cachee")
    other_org_case = open_case(TeamFactory(), person_last_name="Cachee")
    client = login(caseworker)
    assert names_in(client.get(LIST, {"scope": "teams"})) == []
    assert names_in(client.get(LIST, {"scope": "teams", "q": "cachee"})) == []
    assert names_in(client.get(LIST, {"scope": "teams", "team": other_team.pk})) == []
    assert Person.objects.filter(last_name="Cachee").count() == 2
    assert other_org_case.pk


def test_pagination(caseworker, team):
    for _index in range(55):
        open_case(team, assignee=caseworker)
    client = login(caseworker)
    first = client.get(LIST)
    assert "Page 1 sur 2" in first.text
    second = client.get(LIST, {"page": 2})
    assert len(second.context["page"]) == 5
