"""Security headers on every page, and the production settings that `check --deploy` relies on."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.enums import Role
from tests.factories import CaseFactory, member

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def assert_security_headers(response, label=""):
    csp = response.get("Content-Security-Policy", "")
    assert csp, f"no CSP on {label}"
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    scripts = directives.get("script-src", directives.get("default-src"))
    assert scripts, f"no script policy on {label}: {csp}"
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, label
    assert "*" not in scripts, label
    assert directives.get("object-src") == ["'none'"], label
    assert directives.get("frame-ancestors") == ["'none'"], label
    assert response.get("X-Frame-Options") == "DENY", label
    assert response.get("X-Content-Type-Options") == "nosniff", label
    assert response.get("Referrer-Policy") in {"same-origin", "no-referrer", "strict-origin-when-cross-origin"}, label


def test_every_kind_of_page_carries_the_security_headers(client, login_as, team):
    case = CaseFactory(team=team)
    anonymous_pages = [
        reverse("accounts:login"),
        reverse("accounts:password_reset"),
        reverse("healthz"),
        "/does-not-exist/",
        reverse("cases:list"),  # redirect to login
    ]
    for url in anonymous_pages:
        assert_security_headers(client.get(url), url)
    admin = login_as(member(team, Role.ADMIN))
    for url in [
        reverse("cases:list"),
        reverse("cases:detail", args=[case.pk]),
        reverse("accounts:user_list"),
        reverse("accounts:password_change"),
        reverse("cases:detail", args=[case.pk + 1000]),  # 404
    ]:
        response = admin.get(url)
        assert response.status_code in {200, 404}, url
        assert_security_headers(response, url)


def test_hsts_is_sent_over_https_when_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(reverse("accounts:login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]


def _production_settings(**env):
    code = (
        "import json; from config.settings import production as p;"
        "print(json.dumps({k: getattr(p, k) for k in ('SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT',"
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'DEBUG', 'X_FRAME_OPTIONS',"
        "'SECURE_CONTENT_TYPE_NOSNIFF')}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "SESSION_", "CSRF_", "DEBUG"))}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, check=False
    )


def test_production_settings_force_https_hsts_and_secure_cookies():
    result = _production_settings(SECRET_KEY="x" * 60)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "DEBUG": False,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
    }


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _production_settings(SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
