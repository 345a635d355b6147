"""Benchmark: upload + preview + commit of a synthetic 10,000-row spreadsheet (prints the timings).

Run against PostgreSQL (a scratch database: it is created and dropped by Django's test runner):
    PGHOST=127.0.0.1 PGPORT=5440 PGUSER=app PGPASSWORD=app PGDATABASE=bench \\
    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/import_10k.py [ROWS]
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

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

LAST = ["Diallo", "Traoré", "Mbemba", "Haddad", "Zerrouki", "Koné", "Sow", "Camara", "Ndiaye", "Benali"]
FIRST = ["Awa", "Moussa", "Aïcha", "Youssef", "Sarah", "Ibrahim", "Fanta", "Nour", "Karim", "Lina"]
PLACES = ["Bobigny", "Seine-St-Denis", "Val-de-Marne (94)", "Nanterre", "Evry", "Hérault", "Béziers (sous-préf)"]
MINUTES = ["00", "15", "30", "45"]
PROCEDURES = ["renouv.", "1ère demande", "Changement de statut", "Duplicata", "Naturalisation"]


def synthetic_csv(rows: int) -> bytes:
    rng = random.Random(2026)
    lines = [
        "Nom;Prénom;Date de naissance;Nationalité;Préfecture;Démarche;Titre actuel;Expiration titre;Tentatives RDV"
    ]
    for n in range(rows):
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(15000))
        attempts = "; ".join(
            f"{rng.randrange(1, 28):02d}/{rng.randrange(8, 11):02d}/2026 {rng.randrange(7, 22)}h{rng.choice(MINUTES)}"
            for _ in range(rng.randrange(0, 6))
        )
        lines.append(
            f"{rng.choice(LAST)}{n};{rng.choice(FIRST)};{birth:%d/%m/%Y};Sénégalaise;{rng.choice(PLACES)};"
            f'{rng.choice(PROCEDURES)};CST vie privée;{rng.randrange(1, 28)}/{rng.randrange(1, 12)}/27;"{attempts}"'
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def main(rows: int) -> None:
    from accounts.enums import Role
    from attempts.imports import services
    from attempts.models import Attempt
    from cases.models import Case
    from tests.factories import TeamFactory, member

    team = TeamFactory()
    user = member(team, Role.COORDINATOR)
    data = synthetic_csv(rows)
    t0 = time.perf_counter()
    batch = services.import_batch_upload(by=user, team=team, name="bench.csv", data=data)
    t1 = time.perf_counter()
    batch = services.import_batch_map(batch=batch, columns=batch.columns, defaults={}, by=user)
    t2 = time.perf_counter()
    result = services.import_batch_execute(batch_id=batch.pk, by=user)
    t3 = time.perf_counter()
    batch.refresh_from_db()
    print(f"{rows} rows, {len(data) / 1e6:.1f} MB, database {connection.vendor}: {result}")
    print(f"  upload (read, checks, store): {t1 - t0:6.2f} s")
    print(f"  mapping + preview (parse, duplicates): {t2 - t1:6.2f} s")
    print(f"  commit (atomic, bulk inserts, counters, deadlines): {t3 - t2:6.2f} s")
    print(f"  total: {t3 - t0:6.2f} s; cases {Case.objects.count()}, attempts {Attempt.objects.count()}")
    t4 = time.perf_counter()
    again = services.import_batch_upload(by=user, team=team, name="bench.csv", data=data)
    again = services.import_batch_map(batch=again, columns=again.columns, defaults={}, by=user)
    already = again.preview["summary"]["already"]
    print(f"  second run preview: {time.perf_counter() - t4:6.2f} s, already imported {already}")


if __name__ == "__main__":
    from django.test.runner import DiscoverRunner

    setup_test_environment()
    runner = DiscoverRunner(verbosity=0)
    old = runner.setup_databases()
    try:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
    finally:
        runner.teardown_databases(old)
