"""The one duplicate rule (cases.duplicates.find_duplicates) and the merge of two people."""

import datetime

import pytest
from django.urls import reverse

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from cases.duplicates import find_duplicates
from cases.models import Case, Person, ResidenceDocument
from cases.names import canonical, search_key
from cases.services import person_merge
from tests.conftest import login
from tests.factories import CaseFactory, PersonFactory, ResidenceDocumentFactory, TeamFactory, open_case

pytestmark = pytest.mark.django_db
BIRTH = datetime.date(1990, 5, 14)


def existing(team, last_name, first_name, **fields):
    person = PersonFactory(team=team, last_name=last_name, first_name=first_name, birth_date=BIRTH, **fields)
    person.search_key = search_key(person.last_name, person.first_name, person.aliases)
    person.save()
    return person


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mohamed", "Mohammed"),
        ("Mohamed", "Muhammad"),
        ("Mohammad", "MOHAMED"),
        ("Benali", "Ben Ali"),
        ("Ben-Ali", "Benali"),
        ("Youssef", "Yusuf"),
        ("Aïcha", "Aicha"),
        ("N'Diaye", "Ndiaye"),
        ("Moussa", "Mussa"),
        ("Zoé", "ZOE"),
    ],
)
def test_transliteration_variants_share_one_key(a, b):
    assert canonical(a) == canonical(b)


def test_different_names_keep_different_keys():
    assert canonical("Traoré") != canonical("Touré")
    assert canonical("Kane") != canonical("Koné")


@pytest.mark.parametrize(
    ("last_name", "first_name"),
    [
        ("BEN ALI", "Mohammed"),
        ("benali", "muhammad"),
        ("Mohamed", "Benali"),  # first and last name swapped
        ("Ben-Ali", "Mouhamed"),
        ("Benalli", "Mohamed"),  # one typo on a long name
    ],
)
def test_same_birth_date_and_similar_name_is_a_duplicate(team, last_name, first_name):
    person = existing(team, "Benali", "Mohamed")
    found = find_duplicates(
        organisation_id=team.organisation_id, last_name=last_name, first_name=first_name, birth_date=BIRTH
    )
    assert [d.person for d in found] == [person]
    assert "même date de naissance et nom proche" in found[0].reasons


def test_alias_spelling_matches(team):
    person = existing(team, "Diallo", "Aïssatou", aliases="Aissatu Jalo")
    found = find_duplicates(
        organisation_id=team.organisation_id, last_name="Jalo", first_name="Aissatou", birth_date=BIRTH
    )
    assert [d.person for d in found] == [person]


def test_same_foreigner_number_is_a_duplicate_whatever_the_name(team):
    person = existing(team, "Camara", "Hawa", foreigner_number="7512345678")
    found = find_duplicates(organisation_id=team.organisation_id, last_name="X", foreigner_number="75 1234 5678")
    assert [d.person for d in found] == [person]
    assert found[0].reasons == ("même numéro étranger",)


def test_not_duplicates(team):
    existing(team, "Benali", "Mohamed")
    org = team.organisation_id
    assert (
        find_duplicates(organisation_id=org, last_name="Benali", first_name="Mohamed", birth_date=BIRTH.replace(day=15))
        == []
    )
    assert find_duplicates(organisation_id=org, last_name="Traoré", first_name="Mohamed", birth_date=BIRTH) == []
    # Another organisation's people never match.
    assert (
        find_duplicates(
            organisation_id=TeamFactory().organisation_id, last_name="Benali", first_name="Mohamed", birth_date=BIRTH
        )
        == []
    )


def test_deleted_people_are_not_offered(team):
    person = existing(team, "Benali", "Mohamed")
    person.deleted_at = datetime.datetime.now(tz=datetime.UTC)
    person.save()
    assert (
        find_duplicates(
            organisation_id=team.organisation_id, last_name="Benali", first_name="Mohamed", birth_date=BIRTH
        )
        == []
    )


def test_merge_moves_cases_documents_and_history_and_keeps_both_rows(team, org_admin):
    keep = existing(team, "Benali", "Mohamed", phone="")
    remove = existing(team, "Ben Ali", "Muhammad", phone="06 00 00 00 01", foreigner_number="7512345678")
    kept_case = CaseFactory(team=team, person=keep)
    moved_case = CaseFactory(team=team, person=remove)
    document = ResidenceDocumentFactory(person=remove)
    person_merge(keep=keep, remove=remove, by=org_admin)

    assert Case.objects.get(pk=moved_case.pk).person_id == keep.pk
    assert ResidenceDocument.objects.get(pk=document.pk).person_id == keep.pk
    remove.refresh_from_db()
    keep.refresh_from_db()
    assert remove.deleted_at is not None and remove.merged_into_id == keep.pk
    assert remove.last_name == "Ben Ali"  # the row itself is kept as it was
    assert "Ben Ali Muhammad" in keep.aliases
    assert keep.phone == "06 00 00 00 01" and keep.foreigner_number == "7512345678"
    assert "benalimohamed" in keep.search_key
    event = AuditEvent.objects.filter(action=AuditAction.PERSON_MERGE, case_id=None).get()
    assert event.details["removed"] == remove.pk and event.details["moved"]["cases.Case"] == 1
    # Both cases' histories show the merge; the kept person's cases now include the moved one.
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_MERGE, case_id=moved_case.pk).exists()
    assert set(keep.cases.values_list("pk", flat=True)) == {kept_case.pk, moved_case.pk}
    assert Person.objects.visible_to(org_admin).filter(pk=remove.pk).count() == 0


def test_merge_page_is_for_admins_and_merges(team, org_admin, caseworker):
    case = open_case(team, person_last_name="Benali", person_first_name="Mohamed", person_birth_date=BIRTH)
    other = existing(team, "Ben Ali", "Mohammed")
    CaseFactory(team=team, person=other)
    url = reverse("cases:person_merge", args=[case.pk])
    assert login(caseworker).get(url).status_code == 403
    client = login(org_admin)
    page = client.get(url)
    assert "BEN ALI Mohammed" in page.text
    response = client.post(url, {"remove": other.pk})
    assert response.status_code == 302
    assert Case.objects.filter(person=case.person).count() == 2
    other.refresh_from_db()
    assert other.merged_into_id == case.person_id
