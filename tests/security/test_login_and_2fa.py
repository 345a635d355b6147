"""The login protections in one place: lockout after N failures, 2FA required for a coordinator."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_lockout_after_n_failures_even_with_the_right_password(client, caseworker, settings):
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(reverse("accounts:login"), {"username": caseworker.email, "password": "nope"})
        assert response.status_code == (429 if attempt == settings.AXES_FAILURE_LIMIT else 200), attempt
    response = client.post(reverse("accounts:login"), {"username": caseworker.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Compte temporairement bloqué" in response.text


def test_a_coordinator_cannot_use_the_application_with_a_password_only(client, coordinator):
    client.post(reverse("accounts:login"), {"username": coordinator.email, "password": PASSWORD})
    for url in (reverse("cases:list"), reverse("reports:dashboard"), reverse("reports:cases_export")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:two_factor_setup")), url
