"""/cases/new/: person picker, inline new person, duplicate warning, procedure and document."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from cases.enums import Urgency
from cases.models import Case, Person
from cases.names import search_key
from tests.conftest import login
from tests.factories import CaseFactory, PersonFactory, prefecture

pytestmark = pytest.mark.django_db
NEW = reverse("cases:new")
BIRTH = datetime.date(1990, 5, 14)


def new_case(team, **overrides):
    expiry = timezone.localdate() + datetime.timedelta(days=20)
    data = {
        "person": "",
        "last_name": "Benali",
        "first_name": "Mohamed",
        "birth_date": BIRTH.isoformat(),
        "foreigner_number": "",
        "nationality": "dz",
        "procedure": "renewal",
        "prefecture": prefecture("PREF-93").pk,
        "team": team.pk,
        "document_kind": "temporary_card",
        "valid_from": (expiry - datetime.timedelta(days=365)).isoformat(),
        "valid_until": expiry.isoformat(),
    }
    data.update(overrides)
    return data


def known(team, last_name="Ben Ali", first_name="Mohammed", **fields):
    person = PersonFactory(team=team, last_name=last_name, first_name=first_name, birth_date=BIRTH, **fields)
    person.search_key = search_key(person.last_name, person.first_name, person.aliases)
    person.save()
    CaseFactory(team=team, person=person)
    return person


def test_new_person_and_case_in_one_post(caseworker, team):
    page = login(caseworker).get(NEW)
    assert page.context["form"]["team"].value() == team.pk
    response = login(caseworker).post(NEW, new_case(team))
    case = Case.objects.get(person__last_name="Benali")
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.assignee == caseworker and case.team == team and case.created_by == caseworker
    assert case.urgency == Urgency.D30
    assert case.person.nationality == "DZ" and "benali mohamed" in case.person.search_key
    assert case.person.documents.get().kind == "temporary_card"
    assert AuditEvent.objects.filter(action=AuditAction.CASE_CREATE, case_id=case.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_CREATE).exists()


def test_likely_duplicate_is_shown_side_by_side_and_nothing_is_created(caseworker, team):
    person = known(team, foreigner_number="7512345678")
    response = login(caseworker).post(NEW, new_case(team))
    assert "Cette personne existe peut-être déjà" in response.text
    assert "BEN ALI Mohammed" in response.text and "7512345678" in response.text
    assert f'name="use_person" value="{person.pk}"' in response.text
    assert Person.objects.count() == 1 and Case.objects.count() == 1


def test_use_the_existing_person_instead(caseworker, team):
    person = known(team)
    response = login(caseworker).post(NEW, new_case(team, use_person=person.pk))
    assert response.status_code == 302
    assert Person.objects.count() == 1
    assert Case.objects.filter(person=person).count() == 2


def test_create_anyway_after_the_warning(caseworker, team):
    known(team)
    response = login(caseworker).post(NEW, new_case(team, confirm_new="on"))
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_duplicate_of_another_team_is_signalled_without_its_identity(caseworker, team, other_team):
    known(other_team, foreigner_number="7512345678")
    response = login(caseworker).post(NEW, new_case(team))
    assert "Une personne suivie par une autre équipe" in response.text
    assert "BEN ALI" not in response.text and "7512345678" not in response.text
    assert 'name="use_person"' not in response.text


def test_person_picker_search_is_scoped(caseworker, team, other_team):
    mine = known(team, last_name="Saïdi", first_name="Nour")
    known(other_team, last_name="Saidi", first_name="Nour")
    response = login(caseworker).get(reverse("cases:people_search"), {"person_q": "saidi"})
    assert f'value="{mine.pk}"' in response.text
    assert response.text.count('name="person"') == 2  # "new person" + mine only


def test_picking_a_person_out_of_scope_is_refused(caseworker, team, other_team):
    theirs = known(other_team)
    response = login(caseworker).post(NEW, new_case(team, person=theirs.pk))
    assert "Cette personne est introuvable." in response.text
    assert Case.objects.filter(team=team).count() == 0


def test_picking_an_existing_person(caseworker, team):
    person = known(team, last_name="Koné", first_name="Sékou")
    response = login(caseworker).post(NEW, new_case(team, person=person.pk, last_name="", document_kind=""))
    assert response.status_code == 302
    assert Case.objects.filter(person=person).count() == 2


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"prefecture": 999999}, "prefecture", "Préfecture inconnue"),
        ({"birth_date": "1990-02-31"}, "birth_date", "Saisissez une date valide."),
        ({"birth_date": "2999-01-01"}, "birth_date", "pas plausible"),
        ({"foreigner_number": "123"}, "foreigner_number", "10 chiffres"),
        ({"valid_from": "2026-06-01", "valid_until": "2026-01-01"}, "valid_until", "antérieure"),
        ({"last_name": ""}, "last_name", "Indiquez le nom de la nouvelle personne"),
        ({"valid_until": ""}, "valid_until", "Indiquez la date de fin de validité"),
    ],
)
def test_bad_input_on_the_new_case_page(overrides, field, message, caseworker, team):
    response = login(caseworker).post(NEW, new_case(team, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Person.objects.count() == 0 and Case.objects.count() == 0


def test_future_birth_date_on_the_new_case_page(caseworker, team):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login(caseworker).post(NEW, new_case(team, birth_date=tomorrow.isoformat()))
    assert "La date de naissance ne peut pas être dans le futur." in response.context["form"].errors["birth_date"]


def test_team_of_another_organisation_is_refused(caseworker, team):
    from tests.factories import TeamFactory

    data = new_case(team)
    data["team"] = TeamFactory().pk
    response = login(caseworker).post(NEW, data)
    assert "team" in response.context["form"].errors
    assert Case.objects.count() == 0
