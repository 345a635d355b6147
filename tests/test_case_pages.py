"""Case page, edits with optimistic locking, status workflow, bad input, scoping."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from cases.enums import CaseStatus, Urgency
from cases.models import Case, HarmEvent, Person, ResidenceDocument
from tests.conftest import login
from tests.factories import ResidenceDocumentFactory, open_case, prefecture

pytestmark = pytest.mark.django_db


def days(n):

    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def case_post(case, **overrides):
    data = {
        "version": case.version,
        "assignee": case.assignee_id or "",
        "procedure": case.procedure,
        "prefecture": case.prefecture_id,
        "entry_date": "",
        "filing_date": "",
        "notes": case.notes,
    }
    data.update(overrides)
    return data


def person_post(person, **overrides):
    data = {
        "version": person.version,
        "last_name": person.last_name,
        "first_name": person.first_name,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "nationality": person.nationality,
        "foreigner_number": person.foreigner_number,
    }
    data.update(overrides)
    return data


def test_case_page_shows_identity_milestones_with_sources_and_audits_the_read(caseworker, team):
    case = open_case(team, expiry_in_days=40, uses_anef=False, person_last_name="Haddad", person_aliases="Hadad")
    response = login(caseworker).get(reverse("cases:detail", args=[case.pk]))
    text = response.text
    assert "HADDAD Aïcha" in text and "Hadad" in text
    assert "Expiration du titre de séjour (droits menacés)" in text
    assert "CESEDA art. R.431-5" in text
    assert "Continuer les tentatives" in text
    assert AuditEvent.objects.filter(action=AuditAction.CASE_VIEW, case_id=case.pk, actor=caseworker).count() == 1
    assert "attempts_panel" not in text


@pytest.mark.parametrize("name", ["detail", "edit", "person_edit", "document_new", "harm_new"])
def test_other_team_gets_404_on_page_and_edit_urls(name, caseworker, other_team):
    case = open_case(other_team)
    client = login(caseworker)
    assert client.get(reverse(f"cases:{name}", args=[case.pk])).status_code == 404
    assert client.post(reverse(f"cases:{name}", args=[case.pk]), {}).status_code == 404


def test_other_team_cannot_change_status_or_edit_documents(caseworker, other_team):
    case = open_case(other_team)
    document = ResidenceDocumentFactory(person=case.person)
    client = login(caseworker)
    assert client.post(reverse("cases:status", args=[case.pk]), {"status": "closed", "version": 1}).status_code == 404
    assert client.get(reverse("cases:document_edit", args=[case.pk, document.pk])).status_code == 404
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ATTEMPTING


def test_a_document_of_another_person_is_404_through_my_case(caseworker, team):
    mine, theirs = open_case(team), open_case(team)
    document = ResidenceDocumentFactory(person=theirs.person)
    assert login(caseworker).get(reverse("cases:document_edit", args=[mine.pk, document.pk])).status_code == 404


def test_edit_case_changes_deadline_inputs_and_is_audited(caseworker, team):
    case = open_case(team, expiry_in_days=100, uses_anef=False)
    assert case.urgency == Urgency.LATER
    response = login(caseworker).post(
        reverse("cases:edit", args=[case.pk]), case_post(case, uses_anef="on", notes="Appel le 12")
    )
    assert response.status_code == 302
    case.refresh_from_db()
    # ANEF: the last day to file is D-60, 40 days away.
    assert case.uses_anef and case.urgency == Urgency.D60 and case.version == 2
    assert case.next_deadline_label == "Dernier jour pour demander le renouvellement sur l'ANEF (J-60)"
    event = AuditEvent.objects.get(action=AuditAction.CASE_UPDATE, case_id=case.pk)
    assert event.details["notes"] == ["—", "Appel le 12"]


def test_second_save_with_a_stale_version_is_refused_and_shows_what_changed(caseworker, team):
    case = open_case(team, expiry_in_days=100)
    url = reverse("cases:edit", args=[case.pk])
    first, second = login(caseworker), login(caseworker)
    stale = case_post(case, notes="Ma version")
    assert (
        first.post(url, case_post(case, notes="Leur version", prefecture=prefecture("PREF-94").pk)).status_code == 302
    )
    response = second.post(url, stale)
    assert response.status_code == 200
    text = response.text
    assert "rien n&#x27;a été enregistré" in text
    assert "notes : « Leur version » (enregistré) au lieu de « Ma version » (vous)" in text
    assert "Val-de-Marne" in text or "94" in text
    case.refresh_from_db()
    assert case.notes == "Leur version" and case.version == 2
    # The form now carries the current version: re-submitting knowingly works.
    assert 'name="version" value="2"' in text


def test_stale_person_edit_is_refused(caseworker, team):
    case = open_case(team)
    person = case.person
    url = reverse("cases:person_edit", args=[case.pk])
    client = login(caseworker)
    assert client.post(url, person_post(person, phone="06 11 11 11 11")).status_code == 302
    response = client.post(url, person_post(person, phone="07 22 22 22 22"))
    assert "téléphone : « 06 11 11 11 11 » (enregistré) au lieu de « 07 22 22 22 22 » (vous)" in response.text
    assert Person.objects.get(pk=person.pk).phone == "06 11 11 11 11"


def test_person_edit_updates_search_key_and_birth_date_deadlines(caseworker, team):
    case = open_case(team, procedure="first_application")
    birth = timezone.localdate().replace(year=timezone.localdate().year - 19) + datetime.timedelta(days=10)
    client = login(caseworker)
    response = client.post(
        reverse("cases:person_edit", args=[case.pk]),
        person_post(case.person, birth_date=birth.isoformat(), aliases="Ndiaye Aissatou"),
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.next_deadline_label == "Dernier jour pour déposer : veille des 19 ans"
    assert case.urgency == Urgency.D30
    assert "ndiaye aissatou" in Person.objects.get(pk=case.person_id).search_key


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"birth_date": days(30)}, "birth_date", "La date de naissance ne peut pas être dans le futur."),
        ({"birth_date": "2001-02-30"}, "birth_date", "Saisissez une date valide."),
        (
            {"foreigner_number": "12345"},
            "foreigner_number",
            "Le numéro étranger (AGDREF) compte exactement 10 chiffres.",
        ),
        (
            {"foreigner_number": "75123456AB"},
            "foreigner_number",
            "Le numéro étranger (AGDREF) compte exactement 10 chiffres.",
        ),
        ({"nationality": "S1"}, "nationality", "n'est pas un pays connu"),
    ],
)
def test_bad_person_input_is_refused_next_to_the_field(data, field, message, caseworker, team):
    case = open_case(team)
    response = login(caseworker).post(reverse("cases:person_edit", args=[case.pk]), person_post(case.person, **data))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert f'id="id_{field}_error"' in response.text
    assert Person.objects.get(pk=case.person_id).version == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"valid_from": days(10), "valid_until": days(5)}, "valid_until", "antérieure à la date de début"),
        ({"valid_from": "2026-02-30", "valid_until": days(5)}, "valid_from", "Saisissez une date valide."),
        ({"valid_from": days(-10), "valid_until": "20260-01-01"}, "valid_until", "Saisissez une date valide."),
        ({"valid_from": "0202-01-01", "valid_until": days(5)}, "valid_from", "pas plausible"),
    ],
)
def test_bad_document_input_is_refused_and_nothing_saved(data, field, message, caseworker, team):
    case = open_case(team)
    response = login(caseworker).post(reverse("cases:document_new", args=[case.pk]), {"kind": "temporary_card", **data})
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert ResidenceDocument.objects.count() == 0


def test_adding_a_document_recomputes_the_deadline(caseworker, team):
    case = open_case(team, uses_anef=False)
    assert case.urgency == Urgency.NONE
    response = login(caseworker).post(
        reverse("cases:document_new", args=[case.pk]),
        {"kind": "recepisse", "valid_from": days(-60), "valid_until": days(6), "authorises_work": "on"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.urgency == Urgency.D7
    assert case.next_deadline_label == "Expiration du document provisoire (récépissé, API, APS)"


def test_unknown_prefecture_is_refused(caseworker, team):
    case = open_case(team)
    response = login(caseworker).post(reverse("cases:edit", args=[case.pk]), case_post(case, prefecture=999999))
    assert "Préfecture inconnue : choisissez-la dans la liste." in response.context["form"].errors["prefecture"]
    assert Case.objects.get(pk=case.pk).version == 1


def test_status_workflow_allows_listed_moves_and_refuses_impossible_ones(caseworker, team):
    case = open_case(team, status=CaseStatus.ATTEMPTING)
    client = login(caseworker)
    url = reverse("cases:status", args=[case.pk])
    page = client.get(reverse("cases:detail", args=[case.pk])).text
    assert '<option value="written_request_sent">' in page and '<option value="order_granted">' not in page
    response = client.post(url, {"status": "order_granted", "version": 1}, follow=True)
    assert "Impossible de passer un dossier de « Tentatives en cours » à « Ordonnance favorable »." in response.text
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ATTEMPTING
    response = client.post(url, {"status": "written_request_sent", "version": 1}, follow=True)
    assert "Statut mis à jour : Demande écrite envoyée." in response.text
    case.refresh_from_db()
    assert case.status == CaseStatus.WRITTEN_REQUEST_SENT
    # Closing drops the deadline; the history lists the events in order.
    client.post(url, {"status": "closed", "version": case.version})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.urgency == Urgency.NONE and case.closed_at
    history = client.get(reverse("cases:detail", args=[case.pk])).context["history"]
    changes = [event.details["status"] for event in history if event.action == AuditAction.CASE_UPDATE]
    assert changes == [
        ["Tentatives en cours", "Demande écrite envoyée"],
        ["Demande écrite envoyée", "Clos"],
    ]
    moments = [event.at for event in history]
    assert moments == sorted(moments)


def test_add_harm(caseworker, team):
    case = open_case(team)
    response = login(caseworker).post(
        reverse("cases:harm_new", args=[case.pk]),
        {"kind": "job_suspended", "occurred_on": days(-2), "note": "Contrat suspendu"},
        follow=True,
    )
    assert "Emploi suspendu" in response.text and "Contrat suspendu" in response.text
    assert HarmEvent.objects.get().recorded_by == caseworker
    future = login(caseworker).post(
        reverse("cases:harm_new", args=[case.pk]), {"kind": "housing", "occurred_on": days(3)}
    )
    assert "Un préjudice ne peut pas être daté dans le futur." in future.text
    assert HarmEvent.objects.count() == 1
