import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from cases.enums import CaseStatus, DocumentKind, Readiness, Urgency
from tests.factories import CaseFactory, ResidenceDocumentFactory, TeamFactory, member

pytestmark = pytest.mark.django_db

COUNT_LINK = re.compile(r'<a class="count-link" href="([^"]+)">(\d+)</a>')


def count_links(html):
    return [(href.replace("&amp;", "&"), int(value)) for href, value in COUNT_LINK.findall(html)]


def populate(team, *, assignee=None, scale=1):
    """Cases at every urgency level, in every queue, stale and with provisional documents."""
    now = timezone.now()
    today = timezone.localdate()
    for _ in range(scale):
        for level in Urgency:
            CaseFactory(team=team, urgency=level, assignee=assignee)
        CaseFactory(team=team, readiness=Readiness.READY_FOR_REFERE, urgency=Urgency.D30)
        CaseFactory(team=team, readiness=Readiness.READY_FOR_REFERRAL)
        CaseFactory(team=team, readiness=Readiness.LAWYER_REVIEW)
        CaseFactory(team=team, status=CaseStatus.ATTEMPTING, last_attempt_at=now - datetime.timedelta(days=9))
        CaseFactory(team=team, status=CaseStatus.ATTEMPTING, last_attempt_at=now - datetime.timedelta(days=2))
        expiring = CaseFactory(team=team, status=CaseStatus.LODGED)
        ResidenceDocumentFactory(
            person=expiring.person, kind=DocumentKind.RECEPISSE, valid_until=today + datetime.timedelta(days=12)
        )
        later = CaseFactory(team=team, status=CaseStatus.LODGED)
        ResidenceDocumentFactory(person=later.person, kind=DocumentKind.API, valid_until=today + datetime.timedelta(90))
        # Closed cases never count, even when urgent.
        CaseFactory(team=team, status=CaseStatus.CLOSED, urgency=Urgency.EXPIRED)


def test_home_sends_coordinators_to_the_dashboard_and_caseworkers_to_their_cases(login_as, coordinator, caseworker):
    assert login_as(coordinator).get("/")["Location"] == reverse("reports:dashboard")
    assert login_as(caseworker).get("/")["Location"] == reverse("cases:list")


def test_dashboard_counts_per_team_for_a_coordinator(login_as, coordinator, team, other_team):
    populate(team)
    populate(other_team, scale=2)
    populate(TeamFactory())  # another organisation: never counted
    response = login_as(coordinator).get(reverse("reports:dashboard"))
    assert response.status_code == 200
    rows = {row.label: row for row in response.context["rows"]}
    assert set(rows) == {team.name, other_team.name, "Toutes les équipes"}
    mine = rows[team.name].cells
    assert [mine[k].value for k in ("expired", "d7", "d30", "d60")] == [1, 1, 2, 1]
    assert [mine[k].value for k in ("refere", "referral", "lawyer_review", "stale", "provisional")] == [1, 1, 1, 1, 1]
    other = rows[other_team.name].cells
    assert other["expired"].value == 2 and other["provisional"].value == 2
    assert rows["Toutes les équipes"].cells["expired"].value == 3
    assert f"team={team.pk}" in mine["expired"].url and "urgency=0" in mine["expired"].url


def test_a_caseworker_sees_their_cases_and_teams_only(login_as, caseworker, team, other_team):
    populate(team, assignee=caseworker)
    populate(other_team)
    response = login_as(caseworker).get(reverse("reports:dashboard"))
    rows = {row.label: row for row in response.context["rows"]}
    assert set(rows) == {"Mes dossiers", team.name}
    assert rows["Mes dossiers"].cells["expired"].value == 1
    assert "scope=mine" in rows["Mes dossiers"].cells["expired"].url
    assert response.context["load"] is None
    assert other_team.name not in response.text


def test_caseworker_load_counts_open_and_urgent_cases_per_assignee(login_as, coordinator, team):
    bruno = member(team, Role.CASEWORKER, first_name="Bruno", last_name="Martin")
    CaseFactory.create_batch(3, team=team, assignee=bruno, urgency=Urgency.D60)
    CaseFactory(team=team, assignee=bruno, urgency=Urgency.EXPIRED)
    CaseFactory(team=team, assignee=bruno, urgency=Urgency.D7)
    CaseFactory(team=team, assignee=bruno, urgency=Urgency.D7, status=CaseStatus.CLOSED)
    response = login_as(coordinator).get(reverse("reports:dashboard"))
    (row,) = response.context["load"]
    assert row.assignee == "Bruno Martin"
    assert (row.open.value, row.expired.value, row.d7.value) == (5, 1, 1)


@pytest.mark.parametrize("scale", [1, 30])
def test_dashboard_query_count_does_not_depend_on_the_number_of_cases(
    login_as, coordinator, team, other_team, scale, django_assert_num_queries
):
    # scale 1: 17 cases per team; scale 30: 510 cases per team.
    populate(team, scale=scale)
    populate(other_team, scale=scale)
    member(team, Role.CASEWORKER)
    client = login_as(coordinator)
    populate_orders(team, late=scale)
    # 14 + the unread-notifications count in the header + 1 for orders not executed per team
    with django_assert_num_queries(16):
        response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert sum(value for _href, value in count_links(response.text)) > 0


def test_dashboard_lists_name_the_most_urgent_cases(login_as, coordinator, team):
    case = CaseFactory(team=team, urgency=Urgency.EXPIRED, person__last_name="Zerrouki")
    response = login_as(coordinator).get(reverse("reports:dashboard"))
    assert "ZERROUKI" in response.text
    assert reverse("cases:detail", args=[case.pk]) in response.text


def test_dashboard_requires_a_membership(login_as, team):
    from tests.factories import UserFactory

    outsider = UserFactory(organisation=team.organisation)
    assert login_as(outsider).get(reverse("reports:dashboard")).status_code == 403


def assert_every_number_is_the_count_of_its_list(client):
    response = client.get(reverse("reports:dashboard"))
    links = count_links(response.text)
    assert links and any(value for _href, value in links)
    for href, value in links:
        listed = client.get(href)
        assert listed.status_code == 200, href
        assert listed.context["page"].paginator.count == value, href


def test_every_dashboard_number_equals_the_count_of_the_list_it_links_to(login_as, coordinator, team, other_team):
    bruno = member(team, Role.CASEWORKER)
    populate(team, assignee=bruno)
    populate(other_team, scale=2)
    populate(TeamFactory())
    assert_every_number_is_the_count_of_its_list(login_as(coordinator))


def test_every_caseworker_dashboard_number_equals_the_count_of_its_list(login_as, caseworker, team, other_team):
    populate(team, assignee=caseworker)
    populate(team)
    populate(other_team, assignee=member(other_team, Role.CASEWORKER))
    assert_every_number_is_the_count_of_its_list(login_as(caseworker))


LITIGATION_COUNT_LINK = re.compile(r'<a class="litigation-count-link" href="([^"]+)">(\d+)</a>')


def populate_orders(team, *, late=1):
    """Orders not executed (`late` of them), plus orders that must not count."""
    from tests.factories import LitigationActionFactory, order_not_executed

    today = timezone.localdate()
    for _ in range(late):
        order_not_executed(CaseFactory(team=team))
    order_not_executed(CaseFactory(team=team), executed_on=today)  # executed: not counted
    order_not_executed(CaseFactory(team=team), days_late=-5)  # delay still running
    order_not_executed(CaseFactory(team=team), outcome="rejected")  # nothing ordered
    LitigationActionFactory(case=CaseFactory(team=team))  # pending


def assert_every_order_figure_is_the_count_of_its_queue(client):
    response = client.get(reverse("reports:dashboard"))
    links = [(href.replace("&amp;", "&"), int(v)) for href, v in LITIGATION_COUNT_LINK.findall(response.text)]
    assert links and any(value for _href, value in links)
    for href, value in links:
        assert href.startswith(reverse("litigation:queues") + "?") and "queue=not_executed" in href
        listed = client.get(href)
        assert listed.status_code == 200, href
        (queue,) = listed.context["queues"]  # only the "not executed" queue is shown
        assert queue.key == "not_executed"
        assert queue.total == value == len(queue.rows), href
        assert listed.text.count('href="/litigation/actions/') == value, href
    return links


def test_orders_not_executed_per_team_link_to_the_filtered_litigation_queue(login_as, coordinator, team, other_team):
    populate_orders(team, late=2)
    populate_orders(other_team, late=1)
    populate_orders(TeamFactory(), late=4)  # another organisation: never counted
    links = assert_every_order_figure_is_the_count_of_its_queue(login_as(coordinator))
    rows = {
        row.label: row.cells["not_executed"].value
        for row in login_as(coordinator).get("/dashboard/").context["not_executed"]
    }
    assert rows == {team.name: 2, other_team.name: 1, "Toutes les équipes": 3}
    assert sorted(value for _href, value in links) == [1, 2, 3]


def test_a_caseworkers_order_figures_cover_their_teams_only(login_as, caseworker, team, other_team):
    populate_orders(team, late=2)
    populate_orders(other_team, late=3)
    client = login_as(caseworker)
    links = assert_every_order_figure_is_the_count_of_its_queue(client)
    assert sorted(value for _href, value in links) == [2, 2]  # their team, and the total of their teams
    # Another team's filter is out of scope: a 404, never an empty or unscoped list.
    assert client.get(reverse("litigation:queues"), {"team": other_team.pk}).status_code == 404
    assert client.get(reverse("litigation:queues"), {"queue": "nope"}).status_code == 404
