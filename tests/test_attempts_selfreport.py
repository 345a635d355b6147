"""The person's own link: no login, one case only, expiry, revocation, rate limit, token never kept."""

import datetime
import hashlib
import json
import logging

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from attempts.log_redaction import RedactSelfReportTokens
from attempts.models import Attempt, Evidence, SelfReportLink
from attempts.services import self_report_link_create, self_report_link_revoke
from tests.factories import CaseFactory, PersonFactory
from tests.test_attempts_evidence import PNG, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def case(team):
    person = PersonFactory(team=team, first_name="Nour", last_name="Haddad-Secret")
    return CaseFactory(team=team, person=person)


@pytest.fixture
def link_and_token(case, caseworker):
    return self_report_link_create(case=case, created_by=caseworker)


def url(token, **query):
    base = reverse("selfreport:report", args=[token])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_caseworker_creates_a_link_shown_once_with_a_qr_code(login_as, caseworker, case):
    client = login_as(caseworker)
    response = client.post(reverse("attempts:link_create", args=[case.pk]), {"language": "ar"})
    assert response.status_code == 200
    page = response.text
    assert "<svg" in page and "<script" not in page.split("<main", 1)[1]
    link = SelfReportLink.objects.get()
    token = page.split("/r/", 1)[1].split("/", 1)[0]
    assert len(token) >= 43
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(list(SelfReportLink.objects.values()), default=str)
    assert link.language == "ar"
    assert (link.expires_at - timezone.now()).days in (89, 90)
    assert response["Cache-Control"] == "no-store"
    # It is never shown again: the case page lists the link without its address.
    assert token not in client.get(reverse("cases:detail", args=[case.pk])).text
    event = AuditEvent.objects.get(action=AuditAction.SELF_REPORT_LINK)
    assert event.details["link_id"] == link.pk and token not in json.dumps(event.details)


def test_the_person_reports_without_an_account_and_sees_the_receipt_time(client, link_and_token, case):
    link, token = link_and_token
    page = client.get(url(token))
    assert page.status_code == 200
    assert "Bonjour Nour" in page.text and "Haddad-Secret" not in page.text
    assert "J'ai essayé maintenant : aucun créneau" in page.text
    before = timezone.now()
    response = client.post(url(token), {"files": [SimpleUploadedFile("Screenshot.png", PNG, "image/png")]})
    assert response.status_code == 302
    attempt = Attempt.objects.get()
    assert attempt.case == case and attempt.recorded_via == "self_report" and attempt.self_report_link == link
    assert attempt.outcome == "no_slot" and attempt.recorded_by is None
    assert before <= attempt.moment <= timezone.now()
    evidence = Evidence.objects.get()
    assert evidence.uploaded_via == "self_report" and evidence.sha256 == hashlib.sha256(PNG).hexdigest()
    follow = client.get(response["Location"])
    local = timezone.localtime(attempt.moment)
    assert f"Reçu le {local:%d/%m/%Y} à {local:%H:%M:%S}" in follow.text
    link.refresh_from_db()
    assert link.use_count == 1 and link.last_used_at == attempt.moment
    case.refresh_from_db()
    assert case.attempt_count == 1


def test_the_caseworker_sees_self_reported_attempts_in_the_timeline(client, login_as, caseworker, link_and_token, case):
    _link, token = link_and_token
    client.post(url(token), {})
    page = login_as(caseworker).get(reverse("cases:detail", args=[case.pk])).text
    assert "Signalée par la personne (lien personnel)" in page


def test_token_never_reaches_the_audit_journal_or_the_logs(client, link_and_token, caplog):
    _link, token = link_and_token
    with caplog.at_level(logging.INFO):
        client.post(url(token), {"files": [SimpleUploadedFile("c.png", PNG, "image/png")]})
        client.get(url("x" * 43))  # an unknown token: logged as "Not Found: …" by Django
    events = AuditEvent.objects.all()
    assert events.filter(action=AuditAction.ATTEMPT_CREATE).count() == 1
    dump = json.dumps(list(events.values()), default=str)
    assert token not in dump and token[:12] not in dump
    assert "lien personnel #" in dump
    # The console handler (settings.LOGGING) carries the redaction filter...
    filters = [f for h in logging.getLogger().handlers for f in h.filters if isinstance(f, RedactSelfReportTokens)]
    assert filters
    # ...and it masks the path Django logs for the unknown token.
    records = [r for r in caplog.records if "/r/" in r.getMessage()]
    assert records
    for record in records:
        filters[0].filter(record)
    rendered = "\n".join(r.getMessage() for r in records)
    assert "x" * 43 not in rendered and token not in rendered
    assert "/r/[lien-masque]" in rendered


def test_expired_revoked_and_unknown_links_are_refused_and_store_nothing(client, caseworker, case, settings):
    expired, expired_token = self_report_link_create(case=case, created_by=caseworker)
    SelfReportLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    revoked, revoked_token = self_report_link_create(case=case, created_by=caseworker)
    self_report_link_revoke(link=revoked, revoked_by=caseworker)
    upload = {"files": [SimpleUploadedFile("c.png", PNG, "image/png")]}
    for token, status, text in (
        (expired_token, 410, "a expiré"),
        (revoked_token, 410, "a été désactivé"),
        ("inconnu-" + "a" * 40, 404, "ne correspond à aucun lien"),
    ):
        for response in (client.get(url(token)), client.post(url(token), upload)):
            assert response.status_code == status
            assert text in response.text
            if status == 410:
                assert "Rien n'a été enregistré" in response.text
            assert "Nour" not in response.text
    assert Attempt.objects.count() == 0 and Evidence.objects.count() == 0
    assert stored_files(settings) == []


def test_more_than_n_posts_a_minute_are_refused(client, link_and_token, settings):
    settings.SELF_REPORT_POSTS_PER_MINUTE = 3
    _link, token = link_and_token
    statuses = [client.post(url(token), {}).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert Attempt.objects.count() == 3
    refused = client.post(url(token), {})
    assert "Attendez une minute" in refused.text


def test_guessing_tokens_from_one_address_is_stopped(client, link_and_token, settings):
    settings.SELF_REPORT_UNKNOWN_PER_MINUTE = 3
    _link, token = link_and_token
    assert [client.get(url(f"guess{i}" + "b" * 40)).status_code for i in range(3)] == [404, 404, 404]
    # From now on even a real token gets the same refusal: the answer tells nothing.
    assert client.get(url("guess-again" + "c" * 40)).status_code == 429
    assert client.post(url(token), {}).status_code == 429
    assert Attempt.objects.count() == 0
    other_address = client.get(url(token), REMOTE_ADDR="10.1.2.3")
    assert other_address.status_code == 200


def test_a_link_only_reaches_its_own_case(client, caseworker, link_and_token, team):
    link, token = link_and_token
    other_case = CaseFactory(team=team)
    client.post(url(token), {"case": other_case.pk, "case_id": other_case.pk})
    assert list(Attempt.objects.values_list("case_id", flat=True)) == [link.case_id]
    assert not other_case.attempts.exists()


def test_hostile_screenshot_is_refused_on_the_public_page_too(client, link_and_token, settings):
    _link, token = link_and_token
    response = client.post(
        url(token), {"files": [SimpleUploadedFile("x.png", b"<html><script></script>", "image/png")]}
    )
    assert response.status_code == 400
    assert "page web" in response.text
    assert Attempt.objects.count() == 0 and stored_files(settings) == []


def test_page_language_follows_the_link_and_the_switcher(client, caseworker, case):
    _link, token = self_report_link_create(case=case, created_by=caseworker, language="ar")
    page = client.get(url(token))
    assert '<html lang="ar" dir="rtl">' in page.text
    english = client.get(url(token, lang="en"))
    assert '<html lang="en">' in english.text
    for code in ("fr", "en", "ar"):
        assert f'href="?lang={code}"' in page.text


def test_public_page_headers_keep_the_address_private(client, link_and_token):
    _link, token = link_and_token
    response = client.get(url(token))
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"
    assert "noindex" in response["X-Robots-Tag"]


def test_revoking_a_link_from_the_case_page(login_as, caseworker, link_and_token, other_team):
    from tests.factories import member

    link, _token = link_and_token
    outsider = login_as(member(other_team))
    assert outsider.post(reverse("attempts:link_revoke", args=[link.pk])).status_code == 404
    response = login_as(caseworker).post(reverse("attempts:link_revoke", args=[link.pk]))
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == caseworker
