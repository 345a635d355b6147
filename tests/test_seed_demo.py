"""`make run` prints the demo logins; coordinators also get backup codes so no phone is needed."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_demo_coordinator_logs_in_with_a_printed_backup_code(client, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo", persons=3)
    lines = capsys.readouterr().out.splitlines()
    after = {line: lines[n + 1] if n + 1 < len(lines) else "" for n, line in enumerate(lines)}
    line = after[next(x for x in lines if "coordination@demo.test" in x)]
    assert "backup codes" in line
    code = re.findall(r"[a-z2-7]{8}", line.split(":", 1)[1])[0]

    client.post(reverse("accounts:login"), {"username": "coordination@demo.test", "password": DEMO_PASSWORD})
    assert client.post(reverse("accounts:two_factor_verify"), {"code": code}).status_code == 302
    assert client.get(reverse("cases:list")).status_code == 200
    # Caseworkers have no second factor: no codes printed for them.
    assert "backup codes" not in after[next(x for x in lines if "benevole.creteil@demo.test" in x)]


def test_no_logins_or_codes_are_printed_outside_development(settings, capsys):
    settings.DEBUG = False
    call_command("seed_demo", persons=3)
    output = capsys.readouterr().out
    assert DEMO_PASSWORD not in output and "backup codes" not in output
