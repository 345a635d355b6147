"""The queues page's freshness rule (litigation/services.py): a case is re-evaluated when its last
readiness check is older than today, than a change of the case or than an attempt logged on it;
a fresh case is listed from its stored flag without being evaluated again."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from attempts.enums import Channel, Outcome
from attempts.imports.commit import refresh_case_counters
from cases.enums import CaseStatus, Readiness
from cases.models import Case
from litigation.models import ReadinessEvaluation
from litigation.selectors import stale_case_ids
from litigation.services import readiness_refresh_many
from tests.factories import CaseFactory
from tests.litigation_helpers import GRANTED_DAYS_AGO, add_attempt, paris_moment, png_bytes

pytestmark = pytest.mark.django_db


def _one_day_short_of_ready(case):
    """The granted pattern of DOMAIN.md without its last two web attempts: 9 distinct days with the
    e-mail (10 required), so one more attempt makes the case ready for a référé."""
    for i, days in enumerate(GRANTED_DAYS_AGO[:-2]):
        add_attempt(case, paris_moment(days, 9 if i % 2 == 0 else 18, 15 + i))
    add_attempt(case, paris_moment(8, 10), channel=Channel.EMAIL, outcome=Outcome.NO_REPLY)


def _refere_section(page: str) -> str:
    return page.split('id="queue-refere"')[1].split("</section>")[0]


def _checked_at(case) -> datetime.datetime | None:
    return Case.objects.values_list("readiness_checked_at", flat=True).get(pk=case.pk)


@pytest.mark.parametrize(
    "moment",
    [
        pytest.param(lambda: timezone.localtime() - datetime.timedelta(minutes=1), id="attempt-just-made"),
        # Logged today for a day already past: its moment is older than the check, the logging is not.
        pytest.param(lambda: paris_moment(GRANTED_DAYS_AGO[-1], 18), id="attempt-made-days-ago"),
    ],
)
def test_an_attempt_logged_after_the_last_check_is_re_evaluated_on_the_next_queue_view(
    team, caseworker, login_as, moment
):
    case = CaseFactory(team=team)
    _one_day_short_of_ready(case)
    client = login_as(caseworker)
    assert case.person.full_name not in _refere_section(client.get(reverse("litigation:queues")).text)
    checked = _checked_at(case)
    assert checked is not None and Case.objects.get(pk=case.pk).readiness != Readiness.READY_FOR_REFERE

    response = client.post(
        reverse("attempts:create", args=[case.pk]),
        {
            "moment": moment().strftime("%Y-%m-%dT%H:%M"),
            "outcome": "no_slot",
            "channel": "prefecture_web",
            "url": "https://www.example.org/booking",
            "message": "Il n'existe plus de plage horaire libre",
            "files": [SimpleUploadedFile("capture.png", png_bytes(7, size=(1280, 720)), "image/png")],
        },
    )
    assert response.status_code == 302

    page = client.get(reverse("litigation:queues")).text
    assert case.person.full_name in _refere_section(page)
    assert Case.objects.get(pk=case.pk).readiness == Readiness.READY_FOR_REFERE
    assert _checked_at(case) > checked


def test_a_fresh_case_is_listed_without_being_evaluated_again(team, caseworker, login_as):
    case = CaseFactory(team=team)
    _one_day_short_of_ready(case)
    add_attempt(case, paris_moment(GRANTED_DAYS_AGO[-1], 18))
    client = login_as(caseworker)
    assert case.person.full_name in _refere_section(client.get(reverse("litigation:queues")).text)
    checked = _checked_at(case)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("litigation:queues")).text

    assert case.person.full_name in _refere_section(page)
    assert _checked_at(case) == checked
    # Evaluating reads the latest evaluations and the attempts: neither table is touched.
    touched = [q["sql"] for q in queries.captured_queries if "litigation_readinessevaluation" in q["sql"]]
    assert touched == [] and not any("attempts_attempt" in q["sql"] for q in queries.captured_queries)
    assert ReadinessEvaluation.objects.filter(case=case).count() == 1


def test_storing_an_unchanged_result_moves_the_check_but_not_the_case_change_time(team):
    case = CaseFactory(team=team)
    readiness_refresh_many([case.pk])
    first = Case.objects.get(pk=case.pk)
    readiness_refresh_many([case.pk])
    second = Case.objects.get(pk=case.pk)
    assert ReadinessEvaluation.objects.filter(case=case).count() == 1  # unchanged: no history row
    assert second.readiness_checked_at > first.readiness_checked_at
    assert second.updated_at == first.updated_at < second.readiness_checked_at


def _start_of_today() -> datetime.datetime:
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def _set(case, **fields):
    Case.objects.filter(pk=case.pk).update(**fields)


SECOND = datetime.timedelta(seconds=1)


@pytest.mark.parametrize(
    ("change", "stale"),
    [
        ("never checked", True),
        ("checked this morning, nothing since", False),
        ("checked just before midnight (Paris), nothing since", True),
        ("case edited after the check", True),
        ("attempt made after the check", True),
        ("attempt made before the check", False),
        ("attempts imported after the check", True),
        ("closed", False),
        ("in the bin", False),
    ],
)
def test_the_rule_decides_which_cases_are_stale(team, coordinator, change, stale):
    case = CaseFactory(team=team)
    morning = _start_of_today() + SECOND
    earlier = _start_of_today() - datetime.timedelta(days=2)
    _set(case, updated_at=earlier, readiness_checked_at=morning)
    match change:
        case "never checked":
            _set(case, readiness_checked_at=None)
        case "checked just before midnight (Paris), nothing since":
            _set(case, readiness_checked_at=_start_of_today() - SECOND)
        case "case edited after the check":
            Case.objects.get(pk=case.pk).save()
        case "attempt made after the check":
            _set(case, last_attempt_at=morning + SECOND)
        case "attempt made before the check":
            _set(case, last_attempt_at=morning - SECOND)
        case "attempts imported after the check":
            add_attempt(case, earlier, evidence=False)
            refresh_case_counters([case.pk])
        case "closed":
            _set(case, status=CaseStatus.CLOSED, readiness_checked_at=None)
        case "in the bin":
            _set(case, deleted_at=timezone.now(), readiness_checked_at=None)
    assert (case.pk in stale_case_ids(coordinator)) is stale
