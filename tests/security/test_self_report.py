"""Self-report links (/r/<token>/): guessing tokens is rate-limited; tokens never reach the logs."""

import datetime
import io
import logging
import secrets

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from attempts.services import self_report_link_create
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def token(team, caseworker):
    _link, token = self_report_link_create(case=CaseFactory(team=team), created_by=caseworker)
    return token


def test_guessing_tokens_is_cut_off_even_for_a_real_token(client, token, settings):
    start = timezone.now().replace(second=1)
    with time_machine.travel(start, tick=False):
        for _ in range(settings.SELF_REPORT_UNKNOWN_PER_MINUTE):
            assert client.get(reverse("selfreport:report", args=[secrets.token_urlsafe(32)])).status_code == 404
        # Locked for the minute: the answer no longer tells which tokens exist.
        assert client.get(reverse("selfreport:report", args=[token])).status_code == 429
        assert client.get(reverse("selfreport:report", args=[secrets.token_urlsafe(32)])).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=2), tick=False):
        assert client.get(reverse("selfreport:report", args=[token])).status_code == 200
    # 20 guesses a minute against 2**256 tokens.


def test_another_address_is_not_blocked_by_a_guesser(client, token, settings):
    for _ in range(settings.SELF_REPORT_UNKNOWN_PER_MINUTE):
        client.get(reverse("selfreport:report", args=[secrets.token_urlsafe(32)]), REMOTE_ADDR="203.0.113.9")
    assert client.get(reverse("selfreport:report", args=[token]), REMOTE_ADDR="198.51.100.7").status_code == 200


def test_tokens_never_reach_the_logs_or_the_journal(client, token, caseworker, team):
    console = next(h for h in logging.getLogger().handlers if h.name == "console")
    stream = io.StringIO()
    previous = console.setStream(stream)
    try:
        unknown = secrets.token_urlsafe(32)
        client.get(reverse("selfreport:report", args=[unknown]))  # "Not Found: /r/..." is logged
        client.get(reverse("selfreport:report", args=[token]))
        client.post(reverse("selfreport:report", args=[token]), {})
    finally:
        console.setStream(previous)
    output = stream.getvalue()
    assert "/r/" in output  # the 404 was logged...
    assert unknown not in output and token not in output  # ...without the credential
    for event in AuditEvent.objects.all():
        assert token not in f"{event.details} {event.object_id} {event.actor_label}"


def test_the_page_is_not_cached_indexed_nor_leaked_by_referrer(client, token):
    response = client.get(reverse("selfreport:report", args=[token]))
    assert response["Cache-Control"] == "no-store"
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] in {"same-origin", "no-referrer"}
