"""The shared default readiness policy (DOMAIN.md), each threshold with its source."""

from django.db import migrations

from litigation.policy_defaults import DEFAULT_CHANGE_NOTE, DEFAULT_SOURCES

def create_default(apps, schema_editor):
    ReadinessPolicy = apps.get_model("litigation", "ReadinessPolicy")
    if not ReadinessPolicy.objects.filter(organisation__isnull=True, is_current=True).exists():
        ReadinessPolicy.objects.create(
            organisation=None, version=1, is_current=True, change_note=DEFAULT_CHANGE_NOTE, **DEFAULT_SOURCES
        )

class Migration(migrations.Migration):
    dependencies = [("litigation", "0002_litigation_core")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
