"""Uploads: hostile files are refused on every entry point, oversized bodies before being read."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from attempts.models import Evidence
from attempts.services import self_report_link_create
from tests.factories import CaseFactory
from tests.test_attempts_evidence import PNG, pdf_bytes, post_attempt

pytestmark = pytest.mark.django_db

HOSTILE = {
    "polyglot PNG + HTML": ("capture.png", PNG + b"<html><body><script>alert(document.cookie)</script></body></html>"),
    "PDF with JavaScript": ("courrier.pdf", pdf_bytes(javascript=True)),
    "SVG with a script": ("capture.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    "HTML renamed .png": ("capture.png", b"<!doctype html><html><script>alert(1)</script></html>"),
}


class _Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_files_are_refused_on_the_caseworker_form(login_as, caseworker, team, kind):
    name, data = HOSTILE[kind]
    response = post_attempt(login_as(caseworker), CaseFactory(team=team), [SimpleUploadedFile(name, data, "image/png")])
    assert response.status_code == 400, kind
    assert "fichier refusé" in response.text or "refusé" in response.text
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_files_are_refused_on_the_persons_own_link(client, caseworker, team, kind):
    _link, token = self_report_link_create(case=CaseFactory(team=team), created_by=caseworker)
    name, data = HOSTILE[kind]
    response = client.post(
        reverse("selfreport:report", args=[token]), {"files": [SimpleUploadedFile(name, data, "image/png")]}
    )
    assert response.status_code == 400, kind
    assert not Evidence.objects.exists()


def test_an_accepted_image_is_served_with_nosniff_and_a_sandboxing_policy(login_as, caseworker, team):
    case = CaseFactory(team=team)
    client = login_as(caseworker)
    post_attempt(client, case, [SimpleUploadedFile("capture.png", PNG, "text/html")])
    evidence = Evidence.objects.get()
    response = client.get(reverse("attempts:evidence_file", args=[evidence.pk]))
    assert response["Content-Type"] == "image/png"  # from the checked content, never from the browser's claim
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize("url_name", ["accounts:login", "accounts:password_reset"])
def test_any_oversized_body_is_refused_with_413_before_it_is_read(client, settings, url_name):
    claimed = settings.REQUEST_MAX_BYTES + 1
    response = client.generic(
        "POST",
        reverse(url_name),
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(claimed),
        **{"wsgi.input": _Unreadable()},
    )
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.content.decode()


def test_an_oversized_body_on_the_attempt_form_is_refused_too(login_as, caseworker, team, settings):
    case = CaseFactory(team=team)
    response = login_as(caseworker).generic(
        "POST",
        reverse("attempts:create", args=[case.pk]),
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1),
        **{"wsgi.input": _Unreadable()},
    )
    assert response.status_code == 413
    assert not Evidence.objects.exists()


def test_the_limit_follows_the_settings(client, settings):
    settings.REQUEST_MAX_BYTES = 1000
    response = client.post(reverse("accounts:login"), {"username": "x" * 2000, "password": "y"})
    assert response.status_code == 413
