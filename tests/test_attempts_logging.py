"""Logging attempts from the case page: defaults, written requests, corrections, time zone, speed."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from attempts.enums import MESSAGE_NO_SLOT
from attempts.forms import AttemptForm
from attempts.models import Attempt, AttemptRevision
from attempts.selectors import attempt_stats_for_case
from cases.models import Case
from tests.factories import AttemptFactory, CaseFactory

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def case(team):
    case = CaseFactory(team=team)
    case.prefecture.booking_url = "https://www.example.org/rdv-prefecture"
    case.prefecture.save()
    return case


def test_case_page_form_is_pre_filled_for_a_no_slot_attempt_now(login_as, caseworker, case):
    page = login_as(caseworker).get(reverse("cases:detail", args=[case.pk])).text
    now = timezone.localtime()
    assert 'name="moment"' in page and now.strftime("%Y-%m-%dT%H:") in page
    assert '<option value="no_slot" selected>' in page
    assert '<option value="prefecture_web" selected>' in page
    assert "Il n&#x27;existe plus de plage horaire libre pour votre demande de rendez-vous" in page
    assert 'value="https://www.example.org/rdv-prefecture"' in page
    assert 'type="file" name="files"' in page and "multiple" in page
    assert "Aucune tentative enregistrée" in page


def test_logging_with_the_defaults_only_takes_one_submit(login_as, caseworker, case):
    client = login_as(caseworker)
    page = client.get(reverse("cases:detail", args=[case.pk]))
    # The form the panel rendered (the page holds other panels' forms too).
    form = next(v for ctx in page.context for d in ctx.dicts for v in d.values() if isinstance(v, AttemptForm))
    data = {name: form[name].value() or "" for name in form.fields if name != "files"}
    response = client.post(reverse("attempts:create", args=[case.pk]), data)
    assert response.status_code == 302
    attempt = Attempt.objects.get()
    assert attempt.outcome == "no_slot" and attempt.channel == "prefecture_web"
    assert attempt.message == MESSAGE_NO_SLOT and attempt.url == "https://www.example.org/rdv-prefecture"
    assert attempt.recorded_by == caseworker and attempt.recorded_via == "caseworker"
    follow = client.get(response["Location"])
    assert "Tentative du" in follow.text and "enregistrée" in follow.text


def test_written_request_with_acknowledgement_and_reply_shows_in_the_timeline(login_as, caseworker, case):
    client = login_as(caseworker)
    response = client.post(
        reverse("attempts:create", args=[case.pk]),
        {
            "moment": "2026-10-02T10:00",
            "outcome": "no_reply",
            "channel": "lrar",
            "acknowledgement_number": "1A 234 567 8901 2",
            "acknowledgement_date": "2026-10-05",
            "reply": "none",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("cases:detail", args=[case.pk])).text
    assert "1A 234 567 8901 2" in page and "05/10/2026" in page
    assert "Lettre recommandée avec accusé de réception" in page
    assert attempt_stats_for_case(case).written_requests == 1


def test_future_attempt_is_refused(login_as, caseworker, case):
    later = timezone.localtime() + datetime.timedelta(days=2)
    response = login_as(caseworker).post(
        reverse("attempts:create", args=[case.pk]),
        {"moment": later.strftime("%Y-%m-%dT%H:%M"), "outcome": "no_slot", "channel": "prefecture_web"},
    )
    assert response.status_code == 400 and "futur" in response.text
    assert not Attempt.objects.exists()


def test_caseworker_cannot_log_on_another_teams_case(login_as, caseworker, other_team):
    foreign = CaseFactory(team=other_team)
    response = login_as(caseworker).post(
        reverse("attempts:create", args=[foreign.pk]),
        {"moment": "2026-10-02T10:00", "outcome": "no_slot", "channel": "prefecture_web"},
    )
    assert response.status_code == 404 and not Attempt.objects.exists()


def test_correction_keeps_history_and_never_touches_moment_or_evidence(login_as, caseworker, coordinator, case):
    attempt = AttemptFactory(case=case, moment=datetime.datetime(2026, 10, 1, 9, 15, tzinfo=PARIS), note="")
    url = reverse("attempts:correct", args=[attempt.pk])
    client = login_as(caseworker)
    response = client.post(
        url, {"version": 1, "outcome": "technical_error", "note": "Erreur 500", "reason": "Mauvais choix"}
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.outcome == "technical_error" and attempt.version == 2
    assert attempt.moment == datetime.datetime(2026, 10, 1, 9, 15, tzinfo=PARIS)
    revision = AttemptRevision.objects.get()
    assert revision.before == {"outcome": "no_slot", "note": ""}
    assert revision.after == {"outcome": "technical_error", "note": "Erreur 500"}
    assert revision.changed_by == caseworker and revision.reason == "Mauvais choix"
    event = AuditEvent.objects.get(action=AuditAction.ATTEMPT_UPDATE)
    assert event.details["before"] == {"outcome": "no_slot", "note": ""} and event.case_id == case.pk
    # A second person working from the old version is told, and nothing is overwritten.
    stale = login_as(coordinator).post(url, {"version": 1, "outcome": "booked", "note": "", "reason": ""})
    assert stale.status_code == 200 and "corrigée entre-temps" in stale.text
    attempt.refresh_from_db()
    assert attempt.outcome == "technical_error"
    history = client.get(url).text
    assert "Mauvais choix" in history and "Erreur 500" in history


def test_an_attempt_at_2330_paris_on_31_march_is_on_31_march(login_as, caseworker, case):
    late = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=PARIS)  # 21:30 UTC
    after_midnight = datetime.datetime(2026, 4, 1, 0, 30, tzinfo=PARIS)  # 22:30 UTC on 31 March
    sunday_night = datetime.datetime(2026, 3, 29, 23, 30, tzinfo=PARIS)  # ISO week 13
    AttemptFactory(case=case, moment=late)
    AttemptFactory(case=case, moment=after_midnight)
    AttemptFactory(case=case, moment=sunday_night)
    stats = attempt_stats_for_case(case)
    # In UTC, 31 March 23:30 and 1 April 00:30 would be one day and one (evening) band.
    assert stats.distinct_days == 3
    assert stats.time_bands == 2  # 23:30 evening, 00:30 morning (Paris)
    assert stats.iso_weeks == 2  # week 13 (Sunday 29) and week 14
    page = login_as(caseworker).get(reverse("cases:detail", args=[case.pk])).text
    assert "31/03/2026 23:30" in page and "01/04/2026 00:30" in page and "29/03/2026 23:30" in page


def test_attempt_counters_on_the_case_follow_the_services(login_as, caseworker, case):
    client = login_as(caseworker)
    for moment in ("2026-10-01T09:00", "2026-10-03T18:00"):
        client.post(
            reverse("attempts:create", args=[case.pk]),
            {"moment": moment, "outcome": "no_slot", "channel": "prefecture_web"},
        )
    case = Case.objects.get(pk=case.pk)
    assert case.attempt_count == 2
    assert case.last_attempt_at == datetime.datetime(2026, 10, 3, 18, 0, tzinfo=PARIS)


def _panel_queries(case, user):
    request = RequestFactory().get(f"/cases/{case.pk}/")
    request.user = user
    template = Template("{% load attempts_tags %}{% attempts_panel case %}")
    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({"case": case, "request": request, "csrf_token": "x"}))
    return len(queries), html


def test_panel_query_count_is_fixed_whatever_the_number_of_attempts(caseworker, case):
    from attempts.models import Evidence

    start = timezone.now() - datetime.timedelta(days=200)
    Attempt.objects.bulk_create(
        Attempt(case=case, moment=start + datetime.timedelta(hours=15 * i), evidence_count=1) for i in range(300)
    )
    Evidence.objects.bulk_create(
        Evidence(
            attempt=a,
            file=f"evidence/x/{a.pk}.png",
            thumbnail=f"thumbnails/x/{a.pk}.jpg",
            sha256=f"{a.pk:064d}",
            size=10,
            content_type="image/png",
            original_name="c.png",
            received_at=a.moment,
        )
        for a in Attempt.objects.filter(case=case)
    )
    assert caseworker.role == "caseworker"  # memberships load once per request, before the panel
    many, html = _panel_queries(case, caseworker)
    assert html.count('class="attempt"') == 20  # a page of the timeline, not 300 rows
    assert "Page 1 sur 15" in html
    other = CaseFactory(team=case.team)
    AttemptFactory(case=other)
    few, _html = _panel_queries(other, caseworker)
    assert many == few == 6  # count, page of attempts, evidence, stats (2), links


def test_case_page_query_count_does_not_grow_with_attempts(login_as, caseworker, case, django_assert_max_num_queries):
    client = login_as(caseworker)
    AttemptFactory(case=case)
    url = reverse("cases:detail", args=[case.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    start = timezone.now() - datetime.timedelta(days=100)
    Attempt.objects.bulk_create(Attempt(case=case, moment=start + datetime.timedelta(hours=7 * i)) for i in range(299))
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large) == len(small)
