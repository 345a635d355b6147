"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser)."""

import os
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
    }


def assert_accessible(page):
    """Run axe-core on the page; fail on any serious or critical violation."""
    # evaluate() goes through the DevTools protocol, so the page's strict CSP stays on.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]


def second_factor_device(user):
    """The user's TOTP device (created if needed) when they must give a second factor."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import two_factor
    from accounts.models import User

    fresh = User.objects.get(pk=user.pk)
    if not (two_factor.is_required(fresh) or two_factor.has_device(fresh)):
        return None
    return two_factor.totp_device(fresh) or TOTPDevice.objects.create(user=fresh, name="test", confirmed=True)


def current_totp_code(device):
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def log_in(live_server, page):
    from tests.factories import PASSWORD

    def _log_in(user):
        device = second_factor_device(user)
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Adresse e-mail").fill(user.email)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state()
        if device is not None:  # coordinators and admins: the real second step, with a real code
            page.get_by_label("Code à 6 chiffres ou code de secours").fill(current_totp_code(device))
            page.get_by_role("button", name="Vérifier").click()
            page.wait_for_load_state()

    return _log_in
