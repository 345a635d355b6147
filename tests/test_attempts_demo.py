import pytest
from django.core.management import call_command

from attempts.models import Attempt, Evidence, SelfReportLink

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_varied_attempts_once(settings):
    call_command("seed_demo", persons=12, stdout=None)
    counts = (Attempt.objects.count(), Evidence.objects.count(), SelfReportLink.objects.count())
    assert counts[0] > 20 and counts[1] > 3 and counts[2] >= 1
    assert Attempt.objects.filter(recorded_via="self_report").exists()
    assert Attempt.objects.filter(channel__in=["email", "lrar"]).exclude(acknowledgement_number="").exists()
    hours = {a.moment.astimezone().hour for a in Attempt.objects.all()}
    assert len(hours) >= 4
    call_command("seed_demo", persons=12, stdout=None)
    assert (Attempt.objects.count(), Evidence.objects.count(), SelfReportLink.objects.count()) == counts
