"""Evidence: stored byte for byte with hash and receipt time; hostile files refused, nothing stored."""

import datetime
import hashlib
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from attempts.models import Attempt, Evidence
from cases.models import Case
from tests.factories import CaseFactory, member

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parent.parent / "attempts" / "demo_data"
PNG = (DEMO / "noslot-desktop-2026-10-05-0912.png").read_bytes()


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def jpeg_bytes(extra=b""):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(out, format="JPEG")
    return out.getvalue() + extra


def pdf_bytes(*, javascript=False, password=None):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if javascript:
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('hi');")}
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


EML = (
    b"From: Accueil etrangers <noreply@example.org>\r\n"
    b"To: personne@example.org\r\n"
    b"Date: Mon, 05 Oct 2026 09:12:00 +0200\r\n"
    b"Subject: Accuse de reception\r\n\r\nVotre demande a bien ete recue.\r\n"
)


@pytest.fixture
def case(team):
    return CaseFactory(team=team)


def post_attempt(client, case, files, **extra):
    data = {
        "moment": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "outcome": "no_slot",
        "channel": "prefecture_web",
        "url": "https://www.example.org/booking",
        "message": "Il n'existe plus de plage horaire libre",
        "files": files,
        **extra,
    }
    return client.post(reverse("attempts:create", args=[case.pk]), data)


def test_upload_keeps_bytes_hash_and_receipt_time_and_the_page_shows_them(login_as, caseworker, case, settings):
    client = login_as(caseworker)
    before = timezone.now()
    response = post_attempt(
        client,
        case,
        [SimpleUploadedFile("capture.png", PNG, "image/png"), SimpleUploadedFile("reponse.eml", EML, "text/plain")],
    )
    assert response.status_code == 302
    attempt = Attempt.objects.get()
    assert attempt.evidence_count == 2
    evidence = attempt.evidence.get(original_name="capture.png")
    assert evidence.sha256 == hashlib.sha256(PNG).hexdigest()
    assert evidence.size == len(PNG)
    assert evidence.content_type == "image/png"
    assert before <= evidence.received_at <= timezone.now()
    with evidence.file.open("rb") as stored:
        assert stored.read() == PNG  # byte for byte
    with evidence.thumbnail.open("rb") as thumb:
        image = Image.open(thumb)
        assert image.format == "JPEG" and max(image.size) <= 480
    assert attempt.evidence.get(original_name="reponse.eml").content_type == "message/rfc822"
    case.refresh_from_db()
    assert case.attempt_count == 1 and case.last_attempt_at == attempt.moment
    assert AuditEvent.objects.filter(action=AuditAction.ATTEMPT_CREATE, case_id=case.pk).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.EVIDENCE_UPLOAD, case_id=case.pk).count() == 2

    page = client.get(reverse("cases:detail", args=[case.pk])).text
    assert evidence.sha256[:12] in page
    assert timezone.localtime(evidence.received_at).strftime("%d/%m/%Y %H:%M:%S") in page
    detail = client.get(reverse("attempts:correct", args=[attempt.pk])).text
    assert evidence.sha256 in detail


def _truncated_png():
    return PNG[: len(PNG) // 2]


def _corrupt_png():
    data = bytearray(PNG)
    data[len(data) // 2] ^= 0xFF  # one flipped byte inside the image data: checksum fails
    return bytes(data)


HOSTILE = [
    ("page.png", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "page web"),
    (
        "logo.png",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "SVG",
    ),
    ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "SVG"),
    ("vide.png", b"", "vide"),
    ("coupee.png", _truncated_png(), "abîmé ou incomplet"),
    ("abimee.png", _corrupt_png(), "abîmé ou incomplet"),
    ("polyglot.png", PNG + b"<html><script>alert(document.cookie)</script></html>", "cachées"),
    ("polyglot.jpg", jpeg_bytes(b"<script>alert(1)</script>"), "cachées"),
    ("script.pdf", pdf_bytes(javascript=True), "JavaScript"),
    ("protege.pdf", pdf_bytes(password="secret"), "mot de passe"),
    ("notes.txt", b"just some text without headers", "ni une image"),
]


@pytest.mark.parametrize(("name", "data", "expected"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_upload_is_refused_with_a_clear_message_and_nothing_is_stored(
    login_as, caseworker, case, settings, name, data, expected
):
    client = login_as(caseworker)
    response = post_attempt(client, case, [SimpleUploadedFile(name, data, "image/png")])
    assert response.status_code == 400
    assert expected in response.text
    assert name in response.text
    assert "aucun fichier n'a été conservé" in response.text
    assert Attempt.objects.count() == 0
    assert Evidence.objects.count() == 0
    assert stored_files(settings) == []
    assert not AuditEvent.objects.filter(action=AuditAction.EVIDENCE_UPLOAD).exists()


def test_one_bad_file_among_good_ones_refuses_the_whole_attempt(login_as, caseworker, case, settings):
    client = login_as(caseworker)
    response = post_attempt(
        client,
        case,
        [SimpleUploadedFile("ok.png", PNG, "image/png"), SimpleUploadedFile("bad.png", b"<html></html>", "image/png")],
    )
    assert response.status_code == 400
    assert Attempt.objects.count() == 0 and stored_files(settings) == []


def test_too_large_file_is_refused_before_being_kept(login_as, caseworker, case, settings):
    settings.EVIDENCE_MAX_BYTES = 10_000
    client = login_as(caseworker)
    response = post_attempt(client, case, [SimpleUploadedFile("grande.png", PNG, "image/png")])
    assert response.status_code == 400
    assert "dépasse la taille maximale" in response.text
    assert Attempt.objects.count() == 0 and stored_files(settings) == []


def test_a_body_larger_than_any_allowed_upload_is_refused_at_once(login_as, caseworker, case, settings):
    settings.EVIDENCE_MAX_BYTES = 1_000
    settings.EVIDENCE_MAX_FILES = 1
    client = login_as(caseworker)
    big = SimpleUploadedFile("big.png", PNG * 60, "image/png")  # > 1 MB of form overhead allowance
    response = post_attempt(client, case, [big])
    assert response.status_code == 413
    assert Attempt.objects.count() == 0 and stored_files(settings) == []


def test_decompression_bomb_is_refused(login_as, caseworker, case, settings):
    settings.EVIDENCE_MAX_PIXELS = 1_000_000
    out = io.BytesIO()
    Image.new("1", (4000, 4000)).save(out, format="PNG")  # tiny file, 16 megapixels
    client = login_as(caseworker)
    response = post_attempt(client, case, [SimpleUploadedFile("bombe.png", out.getvalue(), "image/png")])
    assert response.status_code == 400
    assert "démesurées" in response.text
    assert Evidence.objects.count() == 0 and stored_files(settings) == []


def test_webp_jpeg_and_plain_pdf_are_accepted(login_as, caseworker, case):
    webp = io.BytesIO()
    Image.new("RGB", (30, 20), "white").save(webp, format="WEBP")
    client = login_as(caseworker)
    response = post_attempt(
        client,
        case,
        [
            SimpleUploadedFile("a.webp", webp.getvalue(), "image/webp"),
            SimpleUploadedFile("b.jpeg", jpeg_bytes(), "image/jpeg"),
            SimpleUploadedFile("courrier.pdf", pdf_bytes(), "application/pdf"),
        ],
    )
    assert response.status_code == 302
    types = set(Evidence.objects.values_list("content_type", flat=True))
    assert types == {"image/webp", "image/jpeg", "application/pdf"}
    assert not Evidence.objects.get(content_type="application/pdf").thumbnail


@pytest.fixture
def uploaded(login_as, caseworker, case):
    post_attempt(
        login_as(caseworker),
        case,
        [SimpleUploadedFile("capture.png", PNG, "image/png"), SimpleUploadedFile("lettre.pdf", pdf_bytes(), "x/y")],
    )
    return Evidence.objects.get(content_type="image/png"), Evidence.objects.get(content_type="application/pdf")


def test_evidence_is_served_with_safe_headers_and_each_view_is_audited(login_as, caseworker, uploaded):
    image, pdf = uploaded
    client = login_as(caseworker)
    response = client.get(reverse("attempts:evidence_file", args=[image.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    thumb = client.get(reverse("attempts:evidence_thumbnail", args=[image.pk]))
    assert thumb["Content-Type"] == "image/jpeg" and thumb["X-Content-Type-Options"] == "nosniff"
    response = client.get(reverse("attempts:evidence_file", args=[pdf.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment") and "lettre.pdf" in response["Content-Disposition"]
    views = AuditEvent.objects.filter(action=AuditAction.EVIDENCE_VIEW, actor=caseworker)
    assert views.count() == 3
    assert set(views.values_list("case_id", flat=True)) == {image.attempt.case_id}


def test_evidence_of_another_team_or_organisation_is_a_404(login_as, other_team, uploaded):
    image, _pdf = uploaded
    outsider = member(other_team, Role.CASEWORKER)
    stranger = member(CaseFactory().team, Role.COORDINATOR)
    for user in (outsider, stranger):
        client = login_as(user)
        for name in ("attempts:evidence_file", "attempts:evidence_thumbnail", "attempts:correct"):
            target = image.attempt_id if name == "attempts:correct" else image.pk
            assert client.get(reverse(name, args=[target])).status_code == 404, (user, name)
    assert not AuditEvent.objects.filter(action=AuditAction.EVIDENCE_VIEW).exists()


def test_evidence_is_never_reachable_under_media_url(login_as, caseworker, uploaded):
    image, _pdf = uploaded
    response = login_as(caseworker).get("/media/" + image.file.name)
    assert response.status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, uploaded):
    image, _pdf = uploaded
    response = client.get(reverse("attempts:evidence_file", args=[image.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_only_an_admin_deletes_evidence_with_a_reason_and_the_row_stays(
    login_as, caseworker, org_admin, uploaded, settings, django_capture_on_commit_callbacks
):
    image, _pdf = uploaded
    path = Path(image.file.path)
    url = reverse("attempts:evidence_delete", args=[image.pk])
    assert login_as(caseworker).post(url, {"reason": "erreur"}).status_code == 403
    admin = login_as(org_admin)
    response = admin.post(url, {"reason": ""})
    assert response.status_code == 200 and Evidence.objects.present().count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url, {"reason": "Document d'une autre personne"})
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.deleted_at is not None and image.deleted_by == org_admin
    assert image.delete_reason == "Document d'une autre personne"
    assert image.sha256 == hashlib.sha256(PNG).hexdigest()  # the fingerprint stays on record
    assert not path.exists()
    assert Attempt.objects.get().evidence_count == 1
    event = AuditEvent.objects.get(action=AuditAction.EVIDENCE_DELETE)
    assert event.details["reason"] == "Document d'une autre personne" and event.case_id == image.attempt.case_id
    assert admin.get(reverse("attempts:evidence_file", args=[image.pk])).status_code == 404
    page = admin.get(reverse("cases:detail", args=[image.attempt.case_id])).text
    assert "Document d&#x27;une autre personne" in page


def test_receipt_time_is_the_servers_not_the_forms(login_as, caseworker, case):
    client = login_as(caseworker)
    earlier = timezone.localtime() - datetime.timedelta(days=3)
    post_attempt(
        client,
        case,
        [SimpleUploadedFile("capture.png", PNG, "image/png")],
        moment=earlier.strftime("%Y-%m-%dT%H:%M"),
    )
    evidence = Evidence.objects.get()
    assert evidence.attempt.moment.date() == earlier.date()
    assert timezone.now() - evidence.received_at < datetime.timedelta(minutes=1)
    assert Case.objects.get().last_attempt_at == evidence.attempt.moment
