"""Case.readiness_checked_at (cases 0007) from each case's latest evaluation, whose `checked_at`
0005 then removes (the case holds the last check from now on). Without it every case would look
stale and the first queues pages after the upgrade would re-evaluate them in batches."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    ReadinessEvaluation = apps.get_model("litigation", "ReadinessEvaluation")
    latest = ReadinessEvaluation.objects.filter(case_id=OuterRef("pk"), is_latest=True).values("checked_at")[:1]
    Case.objects.filter(readiness_checked_at__isnull=True).update(readiness_checked_at=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [("litigation", "0003_default_policy"), ("cases", "0007_case_readiness_checked_at")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
