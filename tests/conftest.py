import django_rq
import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.enums import Role
from accounts.models import User
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


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests start after another one's flush: put the migrations' data back."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        from tests.reference_data import reload_reference_data

        reload_reference_data()


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
    """A client logged in as `user`, second factor included when the user needs one.

    Enforcement of 2FA stays on in tests: for a coordinator or an admin (or a caseworker of an
    organisation requiring 2FA, or one who enrolled) this creates a confirmed TOTP device if
    needed and leaves the session exactly as a successful code verification does.
    Tests of 2FA itself go through the real pages instead.
    """
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    fresh = User.objects.get(pk=user.pk)  # no stale role cache from before a membership change
    if two_factor.is_required(fresh) or two_factor.has_device(fresh):
        verify_second_factor(client, fresh)
    return client


def verify_second_factor(client, user):
    device = two_factor.totp_device(user) or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def login_as():
    return login


@pytest.fixture
def exports_queue():
    """The real `exports` queue on the test Redis, emptied before and after (reports' export jobs)."""
    queue = django_rq.get_queue("exports")
    queue.empty()
    yield queue
    queue.empty()
