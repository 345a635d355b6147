import pytest
from django.test import Client

from accounts.enums import Role
from tests.factories import TeamFactory, member


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Each test writes uploads to its own folder: no file leaks between tests.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def team(db):
    return TeamFactory()


@pytest.fixture
def other_team(team):
    """Another team of the same organisation."""
    return TeamFactory(organisation=team.organisation)


@pytest.fixture
def caseworker(team):
    return member(team, Role.CASEWORKER)


@pytest.fixture
def coordinator(team):
    return member(team, Role.COORDINATOR)


@pytest.fixture
def org_admin(team):
    return member(team, Role.ADMIN)


def login(user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def login_as():
    return login
