"""DOMAIN.md's deadline table and suggested alerts, as version 1 of each rule (cases/deadline_rules_data.py).

The rows are data: admins change them in the Django admin (each change adds a version).
"""

from django.db import migrations

from cases.deadline_rules_data import load_deadline_rules


def load(apps, schema_editor):
    load_deadline_rules(apps.get_model("cases", "DeadlineRule"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_deadline_rules_person_merge")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
