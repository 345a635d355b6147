from django.db import migrations


def load(apps, schema_editor):
    from cases.reference_data import load_prefectures

    load_prefectures(apps.get_model("cases", "Prefecture"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
