"""PDF documents: contents read back with pypdf, bookmarks, ZIP, jobs, failures, downloads."""

import hashlib
import io
import re
import time
import zipfile

import django_rq
import pytest
from django.urls import reverse
from pypdf import PdfReader
from rq import SimpleWorker

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from attempts.enums import Channel, Outcome
from litigation.documents import build
from litigation.enums import DocumentKind, DocumentStatus
from litigation.models import GeneratedDocument
from tests.factories import CaseFactory, PersonFactory
from tests.litigation_helpers import add_attempt, add_evidence, granted_pattern, paris_moment, pdf_bytes

pytestmark = pytest.mark.django_db

DOSSIER = DocumentKind.REFERE_DOSSIER


def request_document(client, case, kind, data, capture):
    prefix = {"appointment_letter": "letter", "attempt_log": "log", "refere_dossier": "dossier"}.get(kind, "complaint")
    with capture(execute=True):
        response = client.post(
            reverse("litigation:document_request", args=[case.pk, kind]),
            {f"{prefix}-{k}": v for k, v in data.items()},
        )
    assert response.status_code == 302
    return GeneratedDocument.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def built(document):
    """Run the build as the worker would (tests' Redis holds the job; the function is the job)."""
    if document.status == DocumentStatus.PENDING:
        build.document_build(document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.error
    return document


def pdf_text(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


def outline_titles(reader):
    return [item.title for item in reader.outline if not isinstance(item, list)]


@pytest.fixture
def ready_case(team):
    case = CaseFactory(team=team, person=PersonFactory(team=team, last_name="<b>Ndiaye</b> & fils"))
    granted_pattern(case)
    letter = add_attempt(case, paris_moment(14, 11, 5), channel=Channel.LRAR, outcome=Outcome.NO_REPLY, evidence=False)
    add_evidence(letter, pdf_bytes(2, "Accuse de reception LRAR"), content_type="application/pdf", name="ar.pdf")
    return case


def test_dossier_lists_every_attempt_hash_and_exhibit_with_one_bookmark_each(
    ready_case, caseworker, login_as, django_capture_on_commit_callbacks
):
    client = login_as(caseworker)
    document = built(
        request_document(
            client,
            ready_case,
            DOSSIER,
            {"summary": "Faits <script>alert(1)</script> résumés.", "place": "Montreuil"},
            django_capture_on_commit_callbacks,
        )
    )
    response = client.get(reverse("litigation:document_download", args=[document.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOAD, object_id=str(document.pk)).exists()
    assert AuditEvent.objects.filter(action=AuditAction.DOCUMENT_GENERATE, object_id=str(document.pk)).count() == 2

    reader = PdfReader(io.BytesIO(content))
    text = pdf_text(reader)
    flat = re.sub(r"\s+", "", text)
    attempts = ready_case.attempts.order_by("moment")
    for attempt in attempts:
        paris = attempt.moment.astimezone(paris_moment(0, 0).tzinfo)
        assert paris.strftime("%d/%m/%Y") in text and paris.strftime("%H:%M") in text
        for evidence in attempt.evidence.all():
            assert evidence.sha256 in flat
    # User text is escaped, never interpreted.
    assert "<B>NDIAYE</B> & FILS" in text and "<script>alert(1)</script>" in text
    # The bordereau lists the exhibits in order, and the outline has one bookmark per exhibit.
    evidence_count = sum(a.evidence.count() for a in attempts)
    bordereau = next(p.extract_text() for p in reader.pages if "Bordereau des pièces" in p.extract_text())
    positions = [bordereau.index(f"Pièce n° {n} :") for n in range(1, evidence_count + 2)]
    assert positions == sorted(positions)
    exhibits = [t for t in outline_titles(reader) if t.startswith("Pièce n° ")]
    assert [int(t.split()[2]) for t in exhibits] == list(range(1, evidence_count + 2))
    for title in exhibits:
        assert title in re.sub(r"\s*\n\s*", " ", bordereau)
    # Each bookmark points at its exhibit's cover page; the PDF exhibit's pages follow it.
    for item in reader.outline:
        if item.title.startswith("Pièce n° "):
            assert item.title.split(" : ")[0] in reader.pages[reader.get_destination_page_number(item)].extract_text()
    assert "Accuse de reception LRAR — page 2" in text
    assert f"Page {len(reader.pages)} / {len(reader.pages)}" in text

    archive = client.get(reverse("litigation:document_archive", args=[document.pk]))
    with zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))) as zipped:
        names = zipped.namelist()
        assert len(names) == evidence_count + 1
        assert names[0].startswith("Piece 001 - Releve des tentatives")
        hashes = {hashlib.sha256(zipped.read(n)).hexdigest() for n in names[1:]}
    assert hashes == {e.sha256 for a in attempts for e in a.evidence.all()}


def test_a_hundred_exhibits_build_in_the_documents_job(team, caseworker, login_as, django_capture_on_commit_callbacks):
    case = CaseFactory(team=team)
    template_pdf = pdf_bytes(1, "Courriel")
    for i in range(100):
        attempt = add_attempt(case, paris_moment(100 - i, 8 + i % 12, i % 60), evidence=i % 10 != 0)
        if i % 10 == 0:  # one exhibit in ten is a PDF; a trailing comment makes each file distinct
            add_evidence(attempt, template_pdf + f"\n%{i}\n".encode(), content_type="application/pdf", name="m.pdf")
    queue = django_rq.get_queue("documents")
    queue.empty()
    document = request_document(
        login_as(caseworker), case, DOSSIER, {"summary": "Cent pièces."}, django_capture_on_commit_callbacks
    )
    assert queue.count == 1 and document.status == DocumentStatus.PENDING
    started = time.monotonic()
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    elapsed = time.monotonic() - started
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.error
    assert document.exhibit_count == 101
    reader = PdfReader(document.file.open("rb"))
    assert len([t for t in outline_titles(reader) if t.startswith("Pièce n° ")]) == 101
    print(f"\n100-exhibit dossier: {len(reader.pages)} pages, {document.size / 1e6:.1f} MB, {elapsed:.1f} s")


def test_a_failed_build_leaves_no_file_and_can_be_retried(
    ready_case, caseworker, login_as, django_capture_on_commit_callbacks, monkeypatch
):
    client = login_as(caseworker)
    document = request_document(client, ready_case, DocumentKind.ATTEMPT_LOG, {}, django_capture_on_commit_callbacks)

    def explode(document, data, folder):
        (folder / "document.pdf").write_bytes(b"%PDF-1.7 half")
        raise OSError("disque plein")

    monkeypatch.setitem(build.BUILDERS, DocumentKind.ATTEMPT_LOG, explode)
    assert build.document_build(document.pk) == DocumentStatus.FAILED
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED and not document.file and not document.sha256
    page = client.get(reverse("litigation:document", args=[document.pk])).text
    assert "disque plein" in page and "Relancer la construction" in page
    assert client.get(reverse("litigation:document_download", args=[document.pk])).status_code == 404

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("litigation:document_retry", args=[document.pk]))
    document = built(GeneratedDocument.objects.get(pk=document.pk))
    assert build.document_build(document.pk) is None  # a second run of the job does nothing
    text = re.sub(r"\s+", " ", pdf_text(PdfReader(document.file.open("rb"))))
    assert "Relevé des tentatives de prise de rendez-vous et attestation" in text
    assert "Signature de la personne" in text and "Signature de l'intervenant·e" in text


def test_the_status_fragment_polls_while_building_and_offers_the_download_when_done(
    ready_case, caseworker, login_as, django_capture_on_commit_callbacks
):
    client = login_as(caseworker)
    document = request_document(client, ready_case, DocumentKind.ATTEMPT_LOG, {}, django_capture_on_commit_callbacks)
    fragment = client.get(reverse("litigation:document_status", args=[document.pk])).text
    assert 'hx-trigger="every 1s"' in fragment and "En file d&#x27;attente" in fragment
    built(document)
    fragment = client.get(reverse("litigation:document_status", args=[document.pk])).text
    assert "hx-trigger" not in fragment and "Télécharger le PDF" in fragment


def test_letter_email_text_and_registered_letter(ready_case, caseworker, login_as, django_capture_on_commit_callbacks):
    client = login_as(caseworker)
    page = client.get(reverse("litigation:case_documents", args=[ready_case.pk]), {"letter-delay_days": 10}).text
    first = ready_case.attempts.order_by("moment").first().moment.astimezone(paris_moment(0, 0).tzinfo)
    assert f"- {first:%d/%m/%Y} à {first:%H:%M} : Module de rendez-vous de la préfecture" in page
    assert "dans un délai de 10 jours" in page
    document = built(
        request_document(
            client,
            ready_case,
            DocumentKind.APPOINTMENT_LETTER,
            {"delay_days": 12, "place": "Bobigny"},
            django_capture_on_commit_callbacks,
        )
    )
    text = pdf_text(PdfReader(document.file.open("rb")))
    assert "Lettre recommandée avec accusé de réception" in text
    assert "dans un délai de 12 jours" in text and "Bobigny" in text
    assert first.strftime("%d/%m/%Y") in text


def test_defender_complaint_runs_beside_the_refere(
    ready_case, caseworker, login_as, django_capture_on_commit_callbacks
):
    client = login_as(caseworker)
    document = built(
        request_document(
            client,
            ready_case,
            DocumentKind.DEFENDER_COMPLAINT,
            {"narrative": "Récit modifié à la main."},
            django_capture_on_commit_callbacks,
        )
    )
    text = pdf_text(PdfReader(document.file.open("rb")))
    assert "Réclamation au Défenseur des droits" in text and "Récit modifié à la main." in text
    assert "côte à côte" in text and "Annexe 2 :" in text
