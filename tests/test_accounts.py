import pytest
from django.urls import reverse

from accounts.enums import AuditAction, Role
from accounts.models import AppendOnlyError, AuditEvent, Membership
from tests.factories import PASSWORD, CaseFactory, TeamFactory, member

pytestmark = pytest.mark.django_db


def test_login_with_email_and_password_lands_on_cases(client, caseworker):
    response = client.post(reverse("accounts:login"), {"username": caseworker.email, "password": PASSWORD})
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.status_code == 200
    assert "Dossiers" in response.text
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=caseworker).count() == 1


def test_wrong_password_is_refused_and_audited(client, caseworker):
    response = client.post(reverse("accounts:login"), {"username": caseworker.email, "password": "nope"})
    assert response.status_code == 200
    assert "Saisissez" in response.text or "correct" in response.text
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.actor is None and event.actor_label == caseworker.email


def test_logout_ends_the_session(client, caseworker):
    client.force_login(caseworker, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(reverse("accounts:logout")).status_code == 302
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_shared_computer_session_expires_when_browser_closes(client, caseworker):
    client.post(
        reverse("accounts:login"), {"username": caseworker.email, "password": PASSWORD, "shared_computer": "on"}
    )
    assert client.session.get_expire_at_browser_close()


def test_pages_require_login_except_public_ones(client):
    for name in ("cases:list", "accounts:user_list", "accounts:password_change"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login"))
    assert client.get(reverse("accounts:login")).status_code == 200
    assert client.get(reverse("accounts:password_reset")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200


def test_password_reset_sends_a_mail_with_a_working_link(client, caseworker, mailoutbox):
    client.post(reverse("accounts:password_reset"), {"email": caseworker.email})
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert "new_password1" in response.text


def test_healthz_reports_database_and_queue_without_personal_data(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["database"] == "ok"
    assert data["queue"] in {"ok", "down", "inline"}
    assert set(data) == {"database", "queue"}


def test_healthz_says_queue_down_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    assert client.get("/healthz").json()["queue"] == "down"


def test_audit_events_cannot_be_edited_or_deleted(caseworker):
    event = AuditEvent.objects.create(action=AuditAction.LOGIN, actor=caseworker)
    event.action = AuditAction.LOGOUT
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.LOGOUT)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.LOGIN


class TestScoping:
    """The one rule: a caseworker sees their teams' cases; coordinators their organisation's."""

    def test_caseworker_of_another_team_gets_404(self, login_as, team, other_team):
        case = CaseFactory(team=team)
        outsider = member(other_team, Role.CASEWORKER)
        client = login_as(outsider)
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
        assert case.person.last_name not in client.get(reverse("cases:list")).text

    def test_caseworker_of_the_team_sees_the_case(self, login_as, team, caseworker):
        case = CaseFactory(team=team)
        client = login_as(caseworker)
        response = client.get(reverse("cases:detail", args=[case.pk]))
        assert response.status_code == 200
        assert case.person.last_name.upper() in response.text
        assert AuditEvent.objects.filter(action=AuditAction.CASE_VIEW, case_id=case.pk, actor=caseworker).exists()

    def test_coordinator_sees_every_team_of_the_organisation(self, login_as, team, other_team):
        case = CaseFactory(team=other_team)
        client = login_as(member(team, Role.COORDINATOR))
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200

    def test_coordinator_of_another_organisation_gets_404(self, login_as, team):
        case = CaseFactory(team=team)
        stranger = member(TeamFactory(), Role.COORDINATOR)
        client = login_as(stranger)
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
        assert case.person.last_name not in client.get(reverse("cases:list")).text


class TestUserAdministration:
    def test_admin_pages_are_refused_to_non_admins(self, login_as, caseworker, coordinator):
        for user in (caseworker, coordinator):
            client = login_as(user)
            assert client.get(reverse("accounts:user_list")).status_code == 403
            assert client.get(reverse("accounts:user_create")).status_code == 403

    def test_admin_creates_a_user_and_changes_a_role_audited(self, login_as, org_admin, team, other_team):
        client = login_as(org_admin)
        response = client.post(
            reverse("accounts:user_create"),
            {
                "email": "New@Example.org",
                "first_name": "Nadia",
                "last_name": "Nouvelle",
                "team": team.pk,
                "role": Role.CASEWORKER,
            },
        )
        assert response.status_code == 302
        membership = Membership.objects.get(user__email="new@example.org")
        assert membership.team == team and membership.role == Role.CASEWORKER
        user = membership.user
        client.post(reverse("accounts:user_detail", args=[user.pk]), {"team": other_team.pk, "role": Role.COORDINATOR})
        assert Membership.objects.get(user=user, team=other_team).role == Role.COORDINATOR
        change = AuditEvent.objects.get(action=AuditAction.PERMISSION_CHANGE)
        assert change.actor == org_admin and change.details["after"] == Role.COORDINATOR

    def test_admin_cannot_see_users_of_another_organisation(self, login_as, org_admin):
        stranger = member(TeamFactory())
        client = login_as(org_admin)
        assert client.get(reverse("accounts:user_detail", args=[stranger.pk])).status_code == 404
        assert stranger.email not in client.get(reverse("accounts:user_list")).text

    def test_duplicate_email_is_refused_with_a_message(self, login_as, org_admin, team, caseworker):
        client = login_as(org_admin)
        response = client.post(
            reverse("accounts:user_create"),
            {"email": caseworker.email, "first_name": "X", "last_name": "Y", "team": team.pk, "role": "caseworker"},
        )
        assert response.status_code == 200
        assert "Un compte existe déjà" in response.text
