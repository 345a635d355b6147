"""The dry run: parse every row of a batch and say what it would create, or why it cannot.

The preview is stored on the batch as JSON (codes, not sentences: see messages.py) so the
pages can show it, paginated, without parsing the file again; the commit parses again from
the stored file, the only source of truth.
"""

from django.core.files.storage import default_storage
from django.utils import timezone

from attempts.imports import duplicates
from attempts.imports.parsers import PrefectureMatcher, PrefectureRef
from attempts.imports.reading import read_table
from attempts.imports.rows import RowParser
from cases.models import Prefecture

# Row statuses in the preview.
OK, ERROR, ALREADY, IDENTICAL = "ok", "error", "already", "identical"
CREATE, SKIP = "create", "skip"


def prefecture_matcher() -> PrefectureMatcher:
    return PrefectureMatcher(
        PrefectureRef(
            pk=p.pk,
            name=p.name,
            city=p.city,
            department_code=p.department_code,
            department_name=p.department_name,
            is_sub=p.kind == Prefecture.Kind.SOUS_PREFECTURE,
        )
        for p in Prefecture.objects.all()
    )


def read_batch_file(batch) -> bytes:
    with default_storage.open(batch.stored_file.name, "rb") as handle:
        return handle.read()


def parse_batch(batch, *, now=None):
    """(table, parsed rows) of the batch's stored file with its current mapping."""
    table = read_table(read_batch_file(batch))
    parser = RowParser(matcher=prefecture_matcher(), now=now or timezone.now(), defaults=batch.defaults)
    return table, [parser.parse(line, batch.columns, cells) for line, cells in table.rows]


def already_imported(organisation_id: int, fingerprints) -> set[str]:
    from attempts.imports.models import ImportedRow

    return set(
        ImportedRow.objects.filter(organisation_id=organisation_id, fingerprint__in=list(fingerprints)).values_list(
            "fingerprint", flat=True
        )
    )


def classify(organisation_id: int, rows) -> dict[int, dict]:
    """line -> {"status", "identical_to", "existing", "in_file", "choice"} for every row."""
    done = already_imported(organisation_id, {row.fingerprint for row in rows})
    first_line_of, result, candidates = {}, {}, []
    for row in rows:
        info = {"status": OK, "identical_to": None, "existing": [], "in_file": [], "choice": CREATE}
        if not row.ok:
            info.update(status=ERROR, choice=SKIP)
        elif row.fingerprint in done:
            info.update(status=ALREADY, choice=SKIP)
        elif row.fingerprint in first_line_of:
            info.update(status=IDENTICAL, identical_to=first_line_of[row.fingerprint], choice=SKIP)
        else:
            first_line_of[row.fingerprint] = row.line
            candidates.append(row)
        result[row.line] = info
    for line, found in duplicates.existing_duplicates(organisation_id, candidates).items():
        result[line]["existing"] = found
        result[line]["choice"] = f"merge:{found[0]['person']}"
    for line, found in duplicates.in_file_duplicates(candidates).items():
        result[line]["in_file"] = found
        if not result[line]["existing"]:
            result[line]["choice"] = f"merge-line:{found[0]['line']}"
    return result


def build_preview(batch, table, rows, info_by_line=None) -> dict:
    names = dict(Prefecture.objects.values_list("pk", "name"))
    info_by_line = info_by_line or classify(batch.organisation_id, rows)
    entries, summary = [], {
        "rows": len(rows), "valid": 0, "errors": 0, "warnings": 0, "already": 0, "identical": 0,
        "duplicates": 0, "documents": 0, "attempts": 0,
    }  # fmt: skip
    for row, (_line, cells) in zip(rows, table.rows, strict=True):
        info = info_by_line[row.line]
        birth = row.person.get("birth_date")
        entry = {
            "line": row.line,
            "name": row.display_name,
            "birth_date": birth.strftime("%d/%m/%Y") if birth else "",
            "prefecture": names.get(row.case.get("prefecture_id"), ""),
            "procedure": row.case.get("procedure") or "",
            "documents": [doc["kind"] for doc in row.documents],
            "attempts": len(row.attempts),
            "errors": [p.as_json() for p in row.errors],
            "warnings": [p.as_json() for p in row.warnings],
            **info,
        }
        if info["status"] == ERROR:
            entry["cells"] = cells
        entries.append(entry)
        summary["warnings"] += bool(row.warnings)
        if info["status"] == ERROR:
            summary["errors"] += 1
        elif info["status"] == ALREADY:
            summary["already"] += 1
        elif info["status"] == IDENTICAL:
            summary["identical"] += 1
        else:
            summary["valid"] += 1
            summary["duplicates"] += bool(info["existing"] or info["in_file"])
            summary["documents"] += len(row.documents)
            summary["attempts"] += len(row.attempts)
    return {"summary": summary, "rows": entries}
