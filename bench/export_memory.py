"""Memory and time of a streamed CSV export, for N attempts (default 1,000,000). Prints its figures.

Measured 23/11/2026 on the 2-core CI machine, shared PostgreSQL under load from other test runs:
1,000,000 rows (208 MB of excel-fr CSV) streamed in 612 s with tracemalloc on; peak Python memory 2.9 MB.

    DJANGO_SETTINGS_MODULE=config.settings.test PGDATABASE=<db> .venv/bin/python bench/export_memory.py [N]

Needs PostgreSQL (rows are generated with generate_series); uses its own organisation and
leaves the rows in the database (drop the database afterwards). It measures the same code as
/attempts/export.csv: the scoped, filtered queryset, `export_rows` (values_list + iterator) and
the shared CSV writer, with tracemalloc's peak of Python allocations during the stream.
"""

import os
import sys
import time
import tracemalloc

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402

from accounts.enums import Role  # noqa: E402
from accounts.models import Membership, Organisation, Team, User  # noqa: E402
from attempts.models import Attempt  # noqa: E402
from cases.models import Case, Person, Prefecture  # noqa: E402
from config.csv_export import EXCEL_FR, csv_lines  # noqa: E402
from reports import columns  # noqa: E402
from reports.exports import KINDS, ExportRequest, export_rows  # noqa: E402


def main(n: int) -> None:
    call_command("migrate", verbosity=0)
    organisation, _ = Organisation.objects.get_or_create(name="Bench export")
    team, _ = Team.objects.get_or_create(organisation=organisation, name="Bench")
    user = User.objects.filter(email="bench-export@example.org").first() or User.objects.create_user(
        email="bench-export@example.org", organisation=organisation
    )
    Membership.objects.get_or_create(user=user, team=team, defaults={"role": Role.COORDINATOR})
    cases = Case.objects.filter(team=team)
    if not cases.exists():
        prefecture = Prefecture.objects.first()
        for i in range(1000):
            person = Person.objects.create(organisation=organisation, team=team, last_name=f"Bench{i}")
            Case.objects.create(person=person, team=team, procedure="renewal", prefecture=prefecture)
    have = Attempt.objects.filter(case__team=team).count()
    if have < n:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO attempts_attempt (case_id, moment, channel, outcome, url, message, note, recorded_via,
                    acknowledgement_number, reply, evidence_count, version, created_at, updated_at)
                SELECT (SELECT min(id) FROM cases_case WHERE team_id = %s) + (g %% 1000),
                       now() - (g || ' minutes')::interval, 'prefecture_web', 'no_slot', '', '', '=1+1',
                       'caseworker', '', '', 0, 1, now(), now()
                FROM generate_series(1, %s) AS g
                """,
                [team.pk, n - have],
            )
        print(f"inserted {n - have} attempts in {time.perf_counter() - start:.1f} s")
    kind = KINDS["attempts"]
    selected = columns.columns_for(kind.columns, pseudonymise=True)
    queryset = kind.build(ExportRequest(user=user, GET=QueryDict()))
    tracemalloc.start()
    start = time.perf_counter()
    size = rows = 0
    for line in csv_lines(header=[c.name for c in selected], rows=export_rows(queryset, selected), dialect=EXCEL_FR):
        size += len(line.encode())
        rows += 1
    elapsed = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"exported {rows - 2} rows, {size / 1e6:.0f} MB of CSV in {elapsed:.1f} s")
    print(f"peak Python memory during the stream: {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
