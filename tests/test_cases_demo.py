import pytest
from django.core.management import call_command

from cases.enums import Urgency
from cases.models import Case, HarmEvent, Person

pytestmark = pytest.mark.django_db


def test_seed_demo_has_every_urgency_level_aliases_harms_and_is_idempotent(capsys):
    call_command("seed_demo", "--persons", "40")
    urgencies = set(Case.objects.values_list("urgency", flat=True))
    assert {Urgency.EXPIRED, Urgency.D7, Urgency.D30, Urgency.D60, Urgency.LATER} <= urgencies
    assert Case.objects.exclude(next_deadline_label="").count() >= 30
    assert Person.objects.exclude(aliases="").exists()
    assert HarmEvent.objects.exists()
    assert not Person.objects.filter(search_key="").exists()
    before = (Person.objects.count(), Case.objects.count())
    call_command("seed_demo", "--persons", "40")
    assert (Person.objects.count(), Case.objects.count()) == before
