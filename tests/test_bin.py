"""Soft delete, the bin (restore within 30 days) and the purge the retention job calls."""

import datetime

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from attempts.models import Evidence
from attempts.services import attempt_record
from cases.bin import purge_deleted
from cases.models import Case, Person
from tests.factories import CaseFactory, TeamFactory, member
from tests.test_attempts_evidence import PNG

pytestmark = pytest.mark.django_db

BIN = reverse("cases:bin")


@pytest.fixture
def admin(team):
    return member(team, Role.ADMIN)


def delete_case(client, case, reason="Doublon saisi par erreur"):
    return client.post(reverse("cases:delete", args=[case.pk]), {"reason": reason})


def test_a_coordinator_deletes_a_case_with_a_reason_and_it_disappears(login_as, team, coordinator, caseworker):
    case = CaseFactory(team=team)
    assert login_as(caseworker).get(reverse("cases:delete", args=[case.pk])).status_code == 403
    client = login_as(coordinator)
    page = client.get(reverse("cases:delete", args=[case.pk])).text
    assert "Motif de la suppression" in page and "restaurer pendant 30 jours" in page
    assert "Motif" in client.post(reverse("cases:delete", args=[case.pk]), {"reason": ""}).text  # required
    response = delete_case(client, case)
    assert response.status_code == 302
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert login_as(caseworker).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    event = AuditEvent.objects.get(action=AuditAction.CASE_DELETE)
    assert event.actor == coordinator and event.case_id == case.pk
    assert event.details == {"reason": "Doublon saisi par erreur"}
    assert Case.objects.filter(pk=case.pk).exists()  # nothing is lost


def test_the_admin_restores_a_case_from_the_bin(login_as, team, coordinator, admin):
    case = CaseFactory(team=team)
    delete_case(login_as(coordinator), case)
    client = login_as(admin)
    page = client.get(BIN).text
    assert f"Restaurer le dossier de {case.person.full_name}" in page
    assert "Doublon saisi par erreur" in page and coordinator.email in page
    response = client.post(reverse("cases:case_restore", args=[case.pk]))
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.RESTORE, case_id=case.pk, actor=admin).exists()
    assert "Aucun dossier dans la corbeille" in client.get(BIN).text


def test_deleting_a_person_takes_their_cases_and_restoring_brings_them_back(login_as, team, coordinator, admin):
    case = CaseFactory(team=team)
    second = CaseFactory(team=team, person=case.person)
    other = CaseFactory(team=team)
    client = login_as(coordinator)
    page = client.get(reverse("cases:person_delete", args=[case.pk])).text
    assert "Ces dossiers partiront avec la personne" in page
    client.post(reverse("cases:person_delete", args=[case.pk]), {"reason": "Demande de la personne"})
    assert not Case.objects.visible_to(coordinator).filter(pk__in=[case.pk, second.pk]).exists()
    assert not Person.objects.visible_to(coordinator).filter(pk=case.person.pk).exists()
    assert Case.objects.visible_to(coordinator).filter(pk=other.pk).exists()

    admin_client = login_as(admin)
    page = admin_client.get(BIN).text
    assert f"Restaurer {case.person.full_name}" in page
    assert "Aucun dossier dans la corbeille" in page  # the cases are listed with their person
    # A case deleted with its person cannot come back alone.
    response = admin_client.post(reverse("cases:case_restore", args=[case.pk]), follow=True)
    assert "restaurez d&#x27;abord la personne" in response.text
    admin_client.post(reverse("cases:person_restore", args=[case.person.pk]))
    assert Case.objects.visible_to(admin).filter(pk__in=[case.pk, second.pk]).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.RESTORE, case_id=second.pk).exists()


def test_the_bin_is_for_admins_of_the_organisation_only(login_as, team, coordinator, admin):
    case = CaseFactory(team=team)
    delete_case(login_as(coordinator), case)
    assert login_as(coordinator).get(BIN).status_code == 403
    stranger = login_as(member(TeamFactory(), Role.ADMIN))
    assert case.person.full_name not in stranger.get(BIN).text
    assert stranger.post(reverse("cases:case_restore", args=[case.pk])).status_code == 404
    assert stranger.post(reverse("cases:person_restore", args=[case.person.pk])).status_code == 404


def test_after_30_days_the_entry_cannot_be_restored_and_is_purged_with_its_files(
    login_as, team, coordinator, admin, django_capture_on_commit_callbacks
):
    case = CaseFactory(team=team)
    attempt = attempt_record(case=case, files=[SimpleUploadedFile("capture.png", PNG, "image/png")])
    evidence = attempt.evidence.get()
    assert default_storage.exists(evidence.file.name)
    kept = CaseFactory(team=team)
    delete_case(login_as(coordinator), case)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=29)):
        delete_case(login_as(coordinator), kept)
    later = timezone.now() + datetime.timedelta(days=31)
    with time_machine.travel(later):
        client = login_as(admin)
        assert "Effacement définitif en attente" in client.get(BIN).text
        response = client.post(reverse("cases:case_restore", args=[case.pk]), follow=True)
        assert "délai de restauration de 30 jours est dépassé" in response.text

        with django_capture_on_commit_callbacks(execute=True):
            report = purge_deleted(older_than_days=30)
    assert report.cases == [case.pk] and report.files >= 1 and report.kept == []
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not default_storage.exists(evidence.file.name)  # the screenshot is gone from disk too
    assert Case.objects.filter(pk=kept.pk).exists()  # deleted 2 days ago at that time: still in the bin
    assert AuditEvent.objects.get(action=AuditAction.PURGE).case_id == case.pk
    with time_machine.travel(later):
        assert purge_deleted(older_than_days=30).cases == []  # safe to run twice


def test_purge_removes_a_person_after_their_cases(login_as, team, coordinator):
    case = CaseFactory(team=team)
    person = case.person
    login_as(coordinator).post(reverse("cases:person_delete", args=[case.pk]), {"reason": "RGPD"})
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        report = purge_deleted()
    assert report.cases == [case.pk] and report.people == [person.pk]
    assert not Person.objects.filter(pk=person.pk).exists()


def test_the_bin_page_has_a_constant_number_of_queries(login_as, team, coordinator, admin, django_assert_num_queries):
    client = login_as(admin)
    coordinator_client = login_as(coordinator)

    def fill(count):
        for _ in range(count):
            delete_case(coordinator_client, CaseFactory(team=team))
            c = CaseFactory(team=team)
            coordinator_client.post(reverse("cases:person_delete", args=[c.pk]), {"reason": "x"})

    fill(1)
    client.get(BIN)
    # A fixed number whatever the bin holds: people, cases and their deletion events in one query each.
    with django_assert_num_queries(13):
        client.get(BIN)
    fill(5)
    with django_assert_num_queries(13):
        page = client.get(BIN).text
    assert page.count("Restaurer le dossier de") == 6


def test_the_case_page_offers_deletion_to_coordinators_only(login_as, team, coordinator, caseworker):
    case = CaseFactory(team=team)
    url = reverse("cases:detail", args=[case.pk])
    assert reverse("cases:delete", args=[case.pk]) in login_as(coordinator).get(url).text
    assert reverse("cases:delete", args=[case.pk]) not in login_as(caseworker).get(url).text
