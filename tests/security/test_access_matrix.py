"""Access matrix: every URL pattern of the project is classified here, and each class is checked.

The URL patterns are enumerated from the resolver, so a new view cannot be forgotten:
`test_every_url_pattern_is_classified` fails until its route is added to ACCESS below.

Classes:
- PUBLIC: reachable without an account (anonymous is never sent to the login page).
- LOGIN: any logged-in user; anonymous -> login page.
- Role(COORDINATOR | ADMIN): anonymous -> login page; a caseworker -> 403.
- Obj(build, scope=TEAM | ORGANISATION, role=..., method=...): a URL about one object;
  `build(world)` returns the URL kwargs of an object owned by `world.team` (organisation
  `world.organisation`). Anonymous -> login page; its owner (a user of `role` in that team)
  does not get 404 (so the kwargs are real); a user of another organisation with the same
  role -> 404; for TEAM scope, a caseworker of another team of the same organisation -> 404.
  `method="post"` for action views (@require_POST).
- PREFIX_RULES: whole third-party trees (Django admin, django-rq), staff only.
"""

import dataclasses
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.enums import Role
from tests.factories import CaseFactory, ResidenceDocumentFactory, TeamFactory, member
from tests.security.test_headers import assert_security_headers

pytestmark = pytest.mark.django_db

TEAM = "team"
ORGANISATION = "organisation"
LOGIN_URL = reverse("accounts:login")


@dataclasses.dataclass(frozen=True)
class Public:
    build: Callable | None = None


@dataclasses.dataclass(frozen=True)
class Login:
    build: Callable | None = None
    method: str = "get"


@dataclasses.dataclass(frozen=True)
class Role_:
    role: str
    method: str = "get"
    build: Callable | None = None


@dataclasses.dataclass(frozen=True)
class Obj:
    build: Callable
    scope: str = TEAM
    role: str = Role.CASEWORKER
    method: str = "get"


PUBLIC = Public()
LOGIN = Login()


def case_kwargs(world):
    return {"pk": CaseFactory(team=world.team).pk}


def document_kwargs(world):
    case = CaseFactory(team=world.team)
    return {"pk": case.pk, "document_pk": ResidenceDocumentFactory(person=case.person).pk}


def closed_case_kwargs(world):
    return {"pk": CaseFactory(team=world.team, closed_at=timezone.now()).pk}


def person_kwargs(world):
    return {"pk": CaseFactory(team=world.team).person_id}


def archive_kwargs(world):
    from django.core.files.base import ContentFile

    from litigation.models import PersonArchive

    archive = PersonArchive.objects.create(
        person=CaseFactory(team=world.team).person, status="done", expires_at=timezone.now() + timedelta(days=1)
    )
    archive.file.save("a.zip", ContentFile(b"PK"))
    return {"pk": archive.pk}


def user_kwargs(world):
    return {"pk": member(world.team, Role.CASEWORKER).pk}


def import_batch_kwargs(world):
    from attempts.imports import services

    user = member(world.team, Role.COORDINATOR)
    data = "Nom;Prénom;Préfecture;Démarche\r\nDiallo;Awa;Bobigny;Renouvellement\r\n".encode()
    batch = services.import_batch_upload(by=user, team=world.team, name="groupe.csv", data=data)
    batch = services.import_batch_map(batch=batch, columns=batch.columns, defaults={}, by=user)
    return {"pk": batch.pk}


def deleted_case_kwargs(world):
    from django.utils import timezone

    return {"pk": CaseFactory(team=world.team, deleted_at=timezone.now()).pk}


def deleted_person_kwargs(world):
    from django.utils import timezone

    from tests.factories import PersonFactory

    return {"pk": PersonFactory(team=world.team, deleted_at=timezone.now()).pk}


def export_job_kwargs(world):
    from django.utils import timezone

    from reports.models import ExportJob

    owner = member(world.team, Role.COORDINATOR)
    job = ExportJob.objects.create(
        owner=owner, organisation=world.organisation, kind="attempts", dialect="rfc4180", expires_at=timezone.now()
    )
    return {"pk": job.pk}


def password_reset_kwargs(world):
    return {"uidb64": "MQ", "token": "set-password"}


def attempt_case_kwargs(world):
    return {"case_id": CaseFactory(team=world.team).pk}


def attempt_kwargs(world):
    from tests.factories import AttemptFactory

    return {"pk": AttemptFactory(case=CaseFactory(team=world.team)).pk}


def evidence_kwargs(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from attempts.services import attempt_record
    from tests.test_attempts_evidence import PNG

    attempt = attempt_record(
        case=CaseFactory(team=world.team), files=[SimpleUploadedFile("capture.png", PNG, "image/png")]
    )
    return {"pk": attempt.evidence.get().pk}


def self_report_link_kwargs(world):
    from attempts.services import self_report_link_create

    link, _token = self_report_link_create(case=CaseFactory(team=world.team), created_by=member(world.team))
    return {"pk": link.pk}


def self_report_token_kwargs(world):
    from attempts.services import self_report_link_create

    _link, token = self_report_link_create(case=CaseFactory(team=world.team), created_by=member(world.team))
    return {"token": token}


def litigation_case_kwargs(world):
    return {"case_pk": CaseFactory(team=world.team).pk}


def litigation_document_request_kwargs(world):
    return {"case_pk": CaseFactory(team=world.team).pk, "kind": "attempt_log"}


def litigation_action_kwargs(world):
    from litigation.models import LitigationAction

    return {"pk": LitigationAction.objects.create(case=CaseFactory(team=world.team)).pk}


def litigation_referral_kwargs(world):
    from litigation.models import DefenderReferral

    return {"pk": DefenderReferral.objects.create(case=CaseFactory(team=world.team)).pk}


def litigation_document_kwargs(world):
    from django.core.files.base import ContentFile

    from litigation.models import GeneratedDocument

    document = GeneratedDocument(case=CaseFactory(team=world.team), kind="attempt_log", status="done")
    document.file.save("doc.pdf", ContentFile(b"%PDF-1.4 synthetic"), save=False)
    document.archive.save("doc.zip", ContentFile(b"PK synthetic"), save=False)
    document.save()
    return {"pk": document.pk}


# Route (as enumerated from the resolver, e.g. "cases/<int:pk>/") -> class. Keep sorted by app.
ACCESS = {
    "": LOGIN,
    "favicon.ico": PUBLIC,
    "healthz": PUBLIC,
    "i18n/setlang/": PUBLIC,
    # accounts
    "accounts/login/": PUBLIC,
    "accounts/logout/": Login(method="post"),
    "accounts/password/change/": LOGIN,
    "accounts/password/change/done/": LOGIN,
    "accounts/password/reset/": PUBLIC,
    "accounts/password/reset/sent/": PUBLIC,
    "accounts/password/reset/<uidb64>/<token>/": Public(password_reset_kwargs),
    "accounts/password/reset/complete/": PUBLIC,
    "accounts/users/": Role_(Role.ADMIN),
    "accounts/users/new/": Role_(Role.ADMIN),
    "accounts/users/<int:pk>/": Obj(user_kwargs, scope=ORGANISATION, role=Role.ADMIN),
    "accounts/users/<int:pk>/active/": Obj(user_kwargs, scope=ORGANISATION, role=Role.ADMIN, method="post"),
    "accounts/users/<int:pk>/2fa-reset/": Obj(user_kwargs, scope=ORGANISATION, role=Role.ADMIN, method="post"),
    "accounts/teams/new/": Role_(Role.ADMIN, method="post"),
    "accounts/security/": Role_(Role.ADMIN),
    "accounts/users/<int:pk>/unlock/": Obj(user_kwargs, scope=ORGANISATION, role=Role.ADMIN, method="post"),
    "accounts/audit/": Role_(Role.ADMIN),
    "accounts/audit/export.csv": Role_(Role.ADMIN),
    "accounts/2fa/": LOGIN,
    "accounts/2fa/setup/": LOGIN,
    "accounts/2fa/verify/": LOGIN,
    "accounts/2fa/backup-codes/": Login(method="post"),
    # attempts: spreadsheet import (coordinators and admins, organisation-wide)
    "attempts/import/": Role_(Role.COORDINATOR),
    "attempts/import/<int:pk>/": Obj(import_batch_kwargs, scope=ORGANISATION, role=Role.COORDINATOR),
    "attempts/import/<int:pk>/mapping/": Obj(import_batch_kwargs, scope=ORGANISATION, role=Role.COORDINATOR),
    "attempts/import/<int:pk>/preview/": Obj(import_batch_kwargs, scope=ORGANISATION, role=Role.COORDINATOR),
    "attempts/import/<int:pk>/commit/": Obj(
        import_batch_kwargs, scope=ORGANISATION, role=Role.COORDINATOR, method="post"
    ),
    "attempts/import/<int:pk>/discard/": Obj(
        import_batch_kwargs, scope=ORGANISATION, role=Role.COORDINATOR, method="post"
    ),
    "attempts/import/<int:pk>/progress/": Obj(import_batch_kwargs, scope=ORGANISATION, role=Role.COORDINATOR),
    "attempts/import/<int:pk>/errors.csv": Obj(import_batch_kwargs, scope=ORGANISATION, role=Role.COORDINATOR),
    # cases
    "cases/": LOGIN,
    "cases/<int:pk>/": Obj(case_kwargs),
    "cases/new/": LOGIN,
    "cases/people/search/": LOGIN,
    "cases/people/duplicates/": LOGIN,
    "cases/<int:pk>/edit/": Obj(case_kwargs),
    "cases/<int:pk>/status/": Obj(case_kwargs, method="post"),
    "cases/<int:pk>/person/": Obj(case_kwargs),
    "cases/<int:pk>/person/merge/": Obj(case_kwargs, scope=ORGANISATION, role=Role.ADMIN),
    "cases/<int:pk>/documents/new/": Obj(case_kwargs),
    "cases/<int:pk>/documents/<int:document_pk>/": Obj(document_kwargs),
    "cases/<int:pk>/harms/new/": Obj(case_kwargs),
    "cases/<int:pk>/delete/": Obj(case_kwargs, scope=ORGANISATION, role=Role.COORDINATOR),
    "cases/<int:pk>/person/delete/": Obj(case_kwargs, scope=ORGANISATION, role=Role.COORDINATOR),
    "cases/bin/": Role_(Role.ADMIN),
    "cases/bin/cases/<int:pk>/restore/": Obj(deleted_case_kwargs, scope=ORGANISATION, role=Role.ADMIN, method="post"),
    "cases/bin/people/<int:pk>/restore/": Obj(
        deleted_person_kwargs, scope=ORGANISATION, role=Role.ADMIN, method="post"
    ),
    # attempts
    "attempts/case/<int:case_id>/new/": Obj(attempt_case_kwargs, method="post"),
    "attempts/case/<int:case_id>/links/new/": Obj(attempt_case_kwargs, method="post"),
    "attempts/links/<int:pk>/revoke/": Obj(self_report_link_kwargs, method="post"),
    "attempts/<int:pk>/correct/": Obj(attempt_kwargs),
    "attempts/evidence/<int:pk>/file/": Obj(evidence_kwargs),
    "attempts/evidence/<int:pk>/thumbnail/": Obj(evidence_kwargs),
    "attempts/evidence/<int:pk>/delete/": Obj(evidence_kwargs, scope=ORGANISATION, role=Role.ADMIN),
    "attempts/saturation/": Role_(Role.COORDINATOR),
    "r/<str:token>/": Public(self_report_token_kwargs),
    # litigation
    "litigation/": LOGIN,
    "litigation/policy/": Role_(Role.ADMIN),
    "litigation/cases/<int:case_pk>/actions/new/": Obj(litigation_case_kwargs),
    "litigation/actions/<int:pk>/": Obj(litigation_action_kwargs),
    "litigation/cases/<int:case_pk>/referrals/new/": Obj(litigation_case_kwargs),
    "litigation/referrals/<int:pk>/": Obj(litigation_referral_kwargs),
    "litigation/cases/<int:case_pk>/documents/": Obj(litigation_case_kwargs),
    "litigation/cases/<int:case_pk>/documents/<str:kind>/": Obj(litigation_document_request_kwargs, method="post"),
    "litigation/documents/<int:pk>/": Obj(litigation_document_kwargs),
    "litigation/documents/<int:pk>/status/": Obj(litigation_document_kwargs),
    "litigation/documents/<int:pk>/retry/": Obj(litigation_document_kwargs, method="post"),
    "litigation/documents/<int:pk>/download/": Obj(litigation_document_kwargs),
    "litigation/documents/<int:pk>/archive/": Obj(litigation_document_kwargs),
    # reports
    "dashboard/": LOGIN,
    "dashboard/charts/": LOGIN,
    "cases/export.csv": LOGIN,
    "attempts/export.csv": LOGIN,
    "exports/": LOGIN,
    "exports/saturation.csv": LOGIN,
    # Rows scoped to the visible cases (another team's actions never appear): tests/test_litigation_exports.py.
    "exports/litigation.csv": LOGIN,
    "exports/referrals.csv": LOGIN,
    "exports/columns/": LOGIN,
    # Owner-only (not team-scoped): another user's export is a 404, tested in tests/test_exports.py.
    "exports/<int:pk>/download/": Login(export_job_kwargs),
    # litigation: reminders
    "litigation/notifications/": LOGIN,
    "litigation/notifications/read/": Login(method="post"),
    "litigation/notifications/preferences/": LOGIN,
    "litigation/cases/<int:pk>/snooze/": Obj(case_kwargs, method="post"),
    "litigation/retention/": Role_(Role.COORDINATOR),
    "litigation/retention/<int:pk>/extend/": Obj(
        closed_case_kwargs, scope=ORGANISATION, role=Role.COORDINATOR, method="post"
    ),
    "litigation/persons/<int:pk>/archives/": Obj(person_kwargs, scope=ORGANISATION, role=Role.COORDINATOR),
    "litigation/archives/<int:pk>/download/": Obj(archive_kwargs, scope=ORGANISATION, role=Role.COORDINATOR),
    # maintenance
    "maintenance/jobs/failed/": Role_(Role.ADMIN),
    "maintenance/jobs/failed/<str:queue>/<str:job_id>/retry/": Role_(
        Role.ADMIN, method="post", build=lambda world: {"queue": "default", "job_id": "no-such-job"}
    ),
}

# Third-party trees guarded by their own staff checks; checked on their root URL.
PREFIX_RULES = {"admin/": "/admin/", "django-rq/": "/django-rq/"}


def _walk(resolver, prefix="", namespace=None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part) or None
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            yield prefix + str(pattern.pattern), name


def project_routes():
    return [(route, name) for route, name in _walk(get_resolver()) if not route.startswith(tuple(PREFIX_RULES))]


ROUTES = dict(project_routes())


def test_every_url_pattern_is_classified():
    missing = [(route, name) for route, name in project_routes() if route not in ACCESS]
    assert not missing, "\n".join(
        [
            "URL patterns not classified in tests/security/test_access_matrix.py (ACCESS). Add one line each, e.g.:",
            *(
                f'    "{route}": LOGIN,  # {name or "unnamed"}: or PUBLIC, Role_(Role.COORDINATOR), '
                f"Obj(<kwargs builder>, scope=TEAM|ORGANISATION, role=..., method='get'|'post')"
                for route, name in missing
            ),
        ]
    )
    stale = sorted(set(ACCESS) - set(ROUTES))
    assert not stale, f"ACCESS lists routes that no longer exist: {stale}"


@dataclasses.dataclass
class World:
    organisation: object
    team: object
    other_team: object
    other_organisation_team: object


@pytest.fixture
def world(db):
    team = TeamFactory()
    return World(
        organisation=team.organisation,
        team=team,
        other_team=TeamFactory(organisation=team.organisation),
        other_organisation_team=TeamFactory(),
    )


def _url(route, spec, world):
    name = ROUTES[route]
    build = getattr(spec, "build", None)
    if not name:  # an unnamed route has no converter here: its path is the route itself
        return "/" + route
    return reverse(name, kwargs=build(world) if build else None)


def _request(client, method, url):
    return getattr(client, method)(url)


def _is_login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(LOGIN_URL)


@pytest.mark.parametrize("route", sorted(ACCESS))
def test_anonymous_visitors_are_sent_to_the_login_page_except_on_public_urls(client, world, route):
    spec = ACCESS[route]
    url = _url(route, spec, world)
    response = _request(client, getattr(spec, "method", "get"), url)
    assert_security_headers(response, url)
    if isinstance(spec, Public):
        assert not _is_login_redirect(response), url
        assert response.status_code < 500, url
    else:
        assert _is_login_redirect(response), (url, response.status_code)
        assert "next=" in response["Location"]


@pytest.mark.parametrize("route", sorted(r for r, s in ACCESS.items() if isinstance(s, Role_)))
def test_role_pages_refuse_lower_roles(login_as, world, route):
    spec = ACCESS[route]
    url = _url(route, spec, world)
    lower = [Role.CASEWORKER] if spec.role == Role.COORDINATOR else [Role.CASEWORKER, Role.COORDINATOR]
    for role in lower:
        assert _request(login_as(member(world.team, role)), spec.method, url).status_code == 403, (url, role)
    assert _request(login_as(member(world.team, spec.role)), spec.method, url).status_code < 400, url


@pytest.mark.parametrize("route", sorted(r for r, s in ACCESS.items() if isinstance(s, Obj)))
def test_object_urls_are_404_for_another_team_or_organisation(login_as, world, route):
    spec = ACCESS[route]
    url = _url(route, spec, world)

    stranger = login_as(member(world.other_organisation_team, spec.role))
    response = _request(stranger, spec.method, url)
    assert response.status_code == 404, (url, "another organisation", response.status_code)
    assert_security_headers(response, url)

    if spec.scope == TEAM:
        neighbour = login_as(member(world.other_team, Role.CASEWORKER))
        assert _request(neighbour, spec.method, url).status_code == 404, (url, "another team")

    owner = login_as(member(world.team, spec.role))
    response = _request(owner, spec.method, url)
    assert response.status_code not in (403, 404), (url, "owner", response.status_code)
    assert response.status_code < 500


@pytest.mark.parametrize("url", sorted(PREFIX_RULES.values()))
def test_third_party_consoles_are_for_staff_only(client, login_as, world, url):
    assert _is_login_redirect(client.get(url)) or client.get(url)["Location"].startswith("/admin/login/")
    admin_of_an_association = login_as(member(world.team, Role.ADMIN))
    response = admin_of_an_association.get(url)
    assert response.status_code in (302, 403), url
    assert "/admin/login/" in response.get("Location", "/admin/login/")


@pytest.mark.parametrize("route", sorted(r for r, s in ACCESS.items() if getattr(s, "method", "get") == "get"))
def test_every_page_carries_the_security_headers_when_logged_in(login_as, world, route):
    spec = ACCESS[route]
    url = _url(route, spec, world)
    role = getattr(spec, "role", Role.ADMIN)
    client = login_as(member(world.team, Role.ADMIN if role == Role.CASEWORKER else role))
    response = client.get(url)
    assert response.status_code < 500, url
    assert_security_headers(response, url)
