"""Retention: anonymisation after the period, legal hold, warnings, extensions, personal archives."""

import datetime
import io
import json
import zipfile
import zoneinfo

import django_rq
import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import ExtractIsoYear, ExtractWeek
from django.urls import reverse
from rq import SimpleWorker

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from attempts.models import Attempt, Evidence, SelfReportLink
from attempts.selectors import attempt_stats
from cases.enums import CaseStatus, DocumentKind
from config.queues import QUEUES
from litigation.enums import ArchiveStatus, NotificationKind
from litigation.models import DefenderReferral, LitigationAction, Notification, PersonArchive
from tests.factories import CaseFactory, PersonFactory, ResidenceDocumentFactory, member

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
TODAY = datetime.date(2025, 6, 2)
CLOSED = datetime.datetime(2023, 5, 10, 12, 0, tzinfo=PARIS)  # + 24 months = 10/05/2025: past


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 2, 4, 0, tzinfo=PARIS), tick=False):
        yield


def closed_case(team, closed_at=CLOSED, **kwargs):
    person = PersonFactory(
        team=team,
        first_name="Aïcha",
        last_name="Konaté",
        foreigner_number="7512345678",
        phone="06 00 00 00 00",
        postal_address="1 rue de l'Exemple",
    )
    case = CaseFactory(
        team=team, person=person, status=CaseStatus.CLOSED, closed_at=closed_at, notes="Elle travaille chez X", **kwargs
    )
    ResidenceDocumentFactory(person=person, kind=DocumentKind.RECEPISSE, number="R123456")
    for day in range(5):
        attempt = Attempt.objects.create(
            case=case,
            moment=datetime.datetime(2023, 3, 1 + day * 7, 9, 30, tzinfo=PARIS),
            note="Essai avec sa cousine",
            url="https://rdv.example.org/?nom=konate",
        )
        evidence = Evidence(
            attempt=attempt,
            sha256=f"{day:064d}",
            size=4,
            content_type="image/png",
            original_name="konate.png",
            received_at=attempt.moment,
        )
        evidence.file.save(f"e{day}.png", ContentFile(b"\x89PNG"), save=False)
        evidence.save()
        Attempt.objects.filter(pk=attempt.pk).update(evidence_count=1)
    SelfReportLink.objects.create(case=case, token_hash=f"h{case.pk}", expires_at=CLOSED)
    return case


def stats_by_prefecture_week():
    return list(
        Attempt.objects.annotate(y=ExtractIsoYear("moment"), w=ExtractWeek("moment"))
        .values("case__prefecture_id", "y", "w", "channel", "outcome")
        .annotate(n=Count("id"))
        .order_by("case__prefecture_id", "y", "w", "channel", "outcome")
    )


def test_a_closed_case_past_the_period_is_anonymised_and_statistics_do_not_move(
    frozen, team, django_capture_on_commit_callbacks
):
    case = closed_case(team)
    files = [e.file.name for e in Evidence.objects.filter(attempt__case=case)]
    storage = Evidence._meta.get_field("file").storage
    assert all(storage.exists(name) for name in files)
    before_stats = stats_by_prefecture_week()
    before_case_stats = attempt_stats([case.pk])[case.pk]

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # files go once the transaction commits
        call_command("purge_expired", "--date", TODAY.isoformat(), stdout=out)
    assert "1 case(s) anonymised" in out.getvalue()

    case.refresh_from_db()
    person = case.person
    person.refresh_from_db()
    assert case.anonymised_at is not None and person.anonymised_at is not None
    assert case.notes == ""
    assert (person.last_name, person.first_name, person.foreigner_number, person.phone, person.postal_address) == (
        "Anonyme",
        "",
        "",
        "",
        "",
    )
    assert person.documents.get().number == ""
    assert not Attempt.objects.filter(case=case).exclude(note="").exists()
    assert not Attempt.objects.filter(case=case).exclude(url="").exists()
    assert not any(storage.exists(name) for name in files)
    assert Evidence.objects.filter(attempt__case=case, file="").count() == 5  # rows, hashes, times kept
    assert not SelfReportLink.objects.filter(case=case).exists()
    assert stats_by_prefecture_week() == before_stats
    assert attempt_stats([case.pk])[case.pk] == before_case_stats
    assert AuditEvent.objects.filter(action=AuditAction.ANONYMISE, case_id=case.pk).count() == 1
    # Twice is harmless.
    call_command("purge_expired", "--date", TODAY.isoformat(), stdout=io.StringIO())
    assert AuditEvent.objects.filter(action=AuditAction.ANONYMISE, case_id=case.pk).count() == 1


def test_legal_hold_a_pending_refere_or_referral_blocks_anonymisation(frozen, team):
    refere = closed_case(team)
    LitigationAction.objects.create(case=refere, filed_on=datetime.date(2023, 4, 1))
    referral = closed_case(team)
    DefenderReferral.objects.create(case=referral, sent_on=datetime.date(2023, 4, 1))
    order = closed_case(team)
    LitigationAction.objects.create(
        case=order, filed_on=datetime.date(2023, 4, 1), order_on=datetime.date(2023, 4, 20), outcome="granted"
    )
    done = closed_case(team)
    LitigationAction.objects.create(
        case=done, filed_on=datetime.date(2023, 4, 1), outcome="moot", notes="Avocate : Me Exemple"
    )
    call_command("purge_expired", "--date", TODAY.isoformat(), stdout=io.StringIO())
    for held in (refere, referral, order):
        held.refresh_from_db()
        assert held.anonymised_at is None
        assert held.person.last_name == "Konaté"
    done.refresh_from_db()
    assert done.anonymised_at is not None
    assert LitigationAction.objects.get(case=done).notes == ""


def test_person_is_anonymised_only_when_all_their_cases_are(frozen, team):
    case = closed_case(team)
    CaseFactory(team=team, person=case.person, status=CaseStatus.ATTEMPTING)
    call_command("purge_expired", "--date", TODAY.isoformat(), stdout=io.StringIO())
    case.refresh_from_db()
    case.person.refresh_from_db()
    assert case.anonymised_at is not None
    assert case.person.anonymised_at is None and case.person.last_name == "Konaté"


def test_coordinators_are_warned_30_days_ahead_and_can_extend(team, coordinator, login_as):
    case = closed_case(team, closed_at=datetime.datetime(2023, 6, 20, 12, 0, tzinfo=PARIS))  # due 20/06/2025
    with time_machine.travel(datetime.datetime(2025, 5, 15, 8, 0, tzinfo=PARIS), tick=False):
        response = login_as(coordinator).get(reverse("litigation:retention"))
        assert response.status_code == 200
        assert f"/cases/{case.pk}/" not in response.content.decode()
    with time_machine.travel(datetime.datetime(2025, 5, 25, 8, 0, tzinfo=PARIS), tick=False):
        client = login_as(coordinator)  # a fresh session: the first one expired in between
        page = client.get(reverse("litigation:retention")).content.decode()
        assert f"/cases/{case.pk}/" in page and "20/06/2025" in page
        call_command("send_digests", "--date", "2025-05-25", stdout=io.StringIO())
        assert Notification.objects.filter(user=coordinator, case=case, kind=NotificationKind.RETENTION_DUE).exists()
        response = client.post(
            reverse("litigation:retention_extend", args=[case.pk]),
            {"until": "2025-12-31", "reason": "Recours indemnitaire envisagé"},
            follow=True,
        )
        assert "prolongée jusqu&#x27;au 31/12/2025" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.RETENTION_EXTEND, case_id=case.pk).count() == 1
    call_command("purge_expired", "--date", "2025-07-01", stdout=io.StringIO())
    case.refresh_from_db()
    assert case.anonymised_at is None
    call_command("purge_expired", "--date", "2026-01-01", stdout=io.StringIO())
    case.refresh_from_db()
    assert case.anonymised_at is not None
    # Caseworkers do not manage retention.
    assert login_as(member(team, Role.CASEWORKER)).get(reverse("litigation:retention")).status_code == 403


@pytest.fixture
def redis_conn(settings):
    connection = django_rq.get_connection("default")
    connection.flushdb()
    yield connection
    connection.flushdb()


def test_archive_request_runs_after_commit_in_the_worker_and_downloads_a_zip(
    frozen, redis_conn, team, coordinator, login_as, django_capture_on_commit_callbacks
):
    case = closed_case(team)
    client = login_as(coordinator)
    url = reverse("litigation:person_archives", args=[case.person_id])
    queue = django_rq.get_queue("exports")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
        assert response.status_code == 302
        assert queue.count == 0  # the request's transaction has not committed yet
    assert queue.count == 1  # after commit
    archive = PersonArchive.objects.get(person=case.person)
    assert archive.status == ArchiveStatus.PENDING
    worker = SimpleWorker([django_rq.get_queue(n) for n in QUEUES], connection=redis_conn)
    worker.work(burst=True)
    archive.refresh_from_db()
    assert archive.status == ArchiveStatus.DONE
    # Running the job again changes nothing.
    from litigation.tasks import person_archive_build

    name = archive.file.name
    assert person_archive_build(archive.pk) == "already built"
    archive.refresh_from_db()
    assert archive.file.name == name

    page = client.get(url).content.decode()
    download = reverse("litigation:person_archive_download", args=[archive.pk])
    assert download in page
    response = client.get(download)
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        names = zf.namelist()
        data = json.loads(zf.read("donnees.json"))
    assert "tentatives.csv" in names
    assert sum(1 for n in names if n.startswith("preuves/")) == 5
    assert data["personne"]["last_name"] == "Konaté"
    assert len(data["tentatives"]) == 5
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(case.person_id)).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOAD, object_id=str(case.person_id)).count() == 1
    # Another team's caseworker, or another organisation, gets a 404; caseworkers a 403.
    assert login_as(member(team, Role.CASEWORKER)).get(url).status_code == 403
    stranger = login_as(member(CaseFactory().team, Role.COORDINATOR))
    assert stranger.get(url).status_code == 404
    assert stranger.get(download).status_code == 404
