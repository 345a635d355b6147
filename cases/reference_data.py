"""Loads the shipped prefecture reference data (cases/data/prefectures.csv).

Idempotent: existing rows keep fields an admin has filled in; only empty fields are completed.
"""

import csv
from pathlib import Path

PREFECTURES_CSV = Path(__file__).resolve().parent / "data" / "prefectures.csv"
FIELDS = (
    "kind",
    "name",
    "department_code",
    "department_name",
    "city",
    "booking_url",
    "foreigners_email",
    "postal_address",
    "tribunal_administratif",
)


def load_prefectures(prefecture_model) -> int:
    with PREFECTURES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    existing = {p.code: p for p in prefecture_model.objects.all()}
    for row in rows:
        current = existing.get(row["code"])
        if current is None:
            prefecture_model.objects.create(code=row["code"], **{f: row[f] for f in FIELDS})
            continue
        changed = [f for f in FIELDS if not getattr(current, f) and row[f]]
        for field in changed:
            setattr(current, field, row[field])
        if changed:
            current.save(update_fields=changed)
    return len(rows)
