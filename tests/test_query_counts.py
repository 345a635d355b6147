"""List pages keep a query count that does not grow with the data (the benchmarks time them at
100,000 people, see bench/; here only the counts are pinned, never a duration)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import AttemptFactory, HarmEventFactory, open_case

pytestmark = pytest.mark.django_db

# Pages a coordinator opens daily that have no query-count test of their own elsewhere.
PAGES = ["/attempts/saturation/", "/dashboard/charts/", "/cases/?q=diallo", "/cases/?sort=name", "/litigation/"]


def _grow(team, caseworker, cases):
    """Add cases with attempts over several weeks, documents and harms."""
    for n in range(cases):
        case = open_case(team, expiry_in_days=10 + n, assignee=caseworker, person_last_name=f"Diallo{n}")
        for days in range(0, 30, 3):
            AttemptFactory(case=case, moment=timezone.now() - datetime.timedelta(days=days, hours=n))
        HarmEventFactory(case=case)


def _counts(client):
    counts = {}
    for url in PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_list_pages_query_counts_do_not_grow_with_the_data(team, coordinator, caseworker, login_as):
    client = login_as(coordinator)
    _grow(team, caseworker, 2)
    few = _counts(client)
    _grow(team, caseworker, 8)
    assert _counts(client) == few


@pytest.mark.parametrize(
    ("url", "expected"),
    [("/attempts/saturation/", 12), ("/dashboard/charts/", 15), ("/cases/?q=diallo", 15), ("/litigation/", 23)],
    # /dashboard/charts/: 14 + the référés per month.
    # /litigation/: 21 + the team filter's choices (the user's organisation, then its teams).
)
def test_list_pages_query_counts_are_pinned(team, coordinator, caseworker, login_as, url, expected,
                                            django_assert_num_queries):  # fmt: skip
    client = login_as(coordinator)
    _grow(team, caseworker, 3)
    client.get(url)  # the first visit may refresh stale litigation flags (a write, once)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
