"""Benchmark of the nightly `recompute_flags` on synthetic cases (default 100,000), PostgreSQL.

Usage (an empty, migrated database; it fills it):
  PGDATABASE=bench_flags python manage.py migrate && PGDATABASE=bench_flags python bench/recompute_flags.py 100000
Prints the seeding time, then the deadlines, readiness and total times of two runs (the first
writes every evaluation, the second finds nothing changed).
"""

import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from accounts.models import Organisation, Team  # noqa: E402
from attempts.enums import Channel, Outcome  # noqa: E402
from attempts.models import Attempt  # noqa: E402
from cases.enums import ProcedureType  # noqa: E402
from cases.models import Case, Person, Prefecture  # noqa: E402
from litigation.services import flags_recompute_all  # noqa: E402

ATTEMPTS_PER_CASE = 6


def seed(n: int) -> None:
    rng = random.Random(1)
    organisation, _ = Organisation.objects.get_or_create(name="Bench")
    team, _ = Team.objects.get_or_create(organisation=organisation, name="Bench")
    prefecture = Prefecture.objects.first()
    now = timezone.now()
    for start in range(0, n, 10_000):
        size = min(10_000, n - start)
        persons = Person.objects.bulk_create(
            Person(organisation=organisation, team=team, last_name=f"Bench{start + i}") for i in range(size)
        )
        cases = Case.objects.bulk_create(
            Case(
                person=p,
                team=team,
                prefecture=prefecture,
                procedure=rng.choice([ProcedureType.RENEWAL, ProcedureType.FIRST_APPLICATION]),
            )
            for p in persons
        )
        attempts = []
        for case in cases:
            for k in range(ATTEMPTS_PER_CASE):
                attempts.append(
                    Attempt(
                        case=case,
                        moment=now - datetime.timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 12)),
                        channel=Channel.EMAIL if k == 0 else Channel.PREFECTURE_WEB,
                        outcome=Outcome.NO_REPLY if k == 0 else Outcome.NO_SLOT,
                        evidence_count=1,
                    )
                )
        Attempt.objects.bulk_create(attempts, batch_size=5000)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    if Case.objects.count() < n:
        started = time.monotonic()
        seed(n - Case.objects.count())
        print(f"seeded {n} cases, {n * ATTEMPTS_PER_CASE} attempts in {time.monotonic() - started:.1f} s")
    for run in ("first run", "second run"):
        result = flags_recompute_all()
        print(
            f"{run}: {result['cases']} cases; deadlines {result['deadlines_seconds']:.1f} s; "
            f"readiness {result['seconds'] - result['deadlines_seconds']:.1f} s "
            f"({result['readiness_changed']} results changed); total {result['seconds']:.1f} s"
        )


if __name__ == "__main__":
    main()
