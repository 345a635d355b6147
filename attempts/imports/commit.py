"""The atomic write of an import: every chosen valid row, or nothing.

Rows are written in chunks with bulk inserts (a 10,000-row file is a few hundred queries, not
tens of thousands); the denormalised case fields (attempt counters, deadlines) are recomputed
set-based at the end, inside the same transaction. Imported attempts are marked
`RecordedVia.IMPORT` and carry no evidence: the readiness rule counts them as unevidenced.
"""

from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import AuditAction
from accounts.services import audit_record
from attempts.enums import RecordedVia
from attempts.imports.models import ImportBatch, ImportedRow
from attempts.imports.preview import ALREADY, ERROR, IDENTICAL, OK, SKIP, build_preview, classify, parse_batch
from attempts.imports.rows import ParsedRow
from attempts.models import Attempt
from cases.enums import CaseStatus
from cases.models import Case, Person, ResidenceDocument
from cases.names import search_key
from cases.services import deadlines_recompute

CHUNK = 1000
PERSON_FIELDS = ("first_name", "birth_date", "birth_place", "nationality", "languages", "phone", "email",
                 "has_no_email", "postal_address", "foreigner_number")  # fmt: skip


class ImportCommitError(Exception):
    pass


def _plan(batch, rows: list[ParsedRow], info: dict, user) -> list[tuple[ParsedRow, str, int | None]]:
    """(row, action, target) for every row to write: "create", "person" (existing pk) or "line" (earlier line)."""
    merge_ids = {int(c[6:]) for c in batch.choices.values() if c.startswith("merge:") and c[6:].isdigit()}
    allowed = set(Person.objects.visible_to(user).filter(pk__in=merge_ids).values_list("pk", flat=True))
    plan, written_lines = [], set()
    for row in rows:
        state = info[row.line]
        if state["status"] != OK:
            continue
        kind, _sep, target = batch.choices.get(str(row.line), state["choice"]).partition(":")
        if kind == SKIP:
            continue
        if kind == "merge" and target.isdigit() and int(target) in allowed:
            plan.append((row, "person", int(target)))
        elif kind == "merge-line" and target.isdigit() and int(target) in written_lines:
            plan.append((row, "line", int(target)))
        else:
            # A merge target that vanished or was skipped: the row creates its own person.
            plan.append((row, "create", None))
        written_lines.add(row.line)
    return plan


def _open_cases(person_ids) -> dict[tuple, Case]:
    """(person, procedure, prefecture) -> an open case, which a merged row adds to rather than duplicates."""
    found = {}
    cases = Case.objects.filter(person_id__in=person_ids, deleted_at__isnull=True).exclude(status=CaseStatus.CLOSED)
    for case in cases.order_by("pk"):
        found.setdefault((case.person_id, case.procedure, case.prefecture_id), case)
    return found


def _write_chunk(batch, user, chunk, person_by_line: dict, case_by_key: dict, note_prefix: str) -> dict:
    counts = defaultdict(int)
    new_people = [
        (
            row.line,
            Person(
                organisation_id=batch.organisation_id,
                team_id=batch.team_id,
                last_name=row.person["last_name"],
                search_key=search_key(row.person["last_name"], row.person["first_name"], ""),
                **{name: row.person[name] for name in PERSON_FIELDS},
            ),
        )
        for row, action, _target in chunk
        if action == "create"
    ]
    Person.objects.bulk_create([person for _line, person in new_people])
    person_by_line.update({line: person.pk for line, person in new_people})
    counts["persons_created"] += len(new_people)

    for key, case in _open_cases({t for _r, a, t in chunk if a == "person"}).items():
        case_by_key.setdefault(key, case)
    new_cases, changed_cases, row_case = [], {}, {}
    for row, action, target in chunk:
        person_id = {"person": target, "line": person_by_line.get(target)}.get(action, person_by_line.get(row.line))
        person_by_line[row.line] = person_id
        key = (person_id, row.case["procedure"], row.case["prefecture_id"])
        case = case_by_key.get(key)
        if case is None:
            case = Case(
                person_id=person_id,
                team_id=batch.team_id,
                procedure=row.case["procedure"],
                prefecture_id=row.case["prefecture_id"],
                status=row.case["status"],
                entry_date=row.case["entry_date"],
                filing_date=row.case["filing_date"],
                notes="\n".join(row.notes),
                created_by=user,
            )
            new_cases.append(case)
            case_by_key[key] = case
        elif row.notes:
            case.notes = "\n".join(filter(None, [case.notes, *row.notes]))
            if case.pk:
                changed_cases[case.pk] = case
        row_case[row.line] = (person_id, case)
    Case.objects.bulk_create(new_cases)
    Case.objects.bulk_update(list(changed_cases.values()), ["notes"])
    counts["cases_created"] += len(new_cases)

    person_ids = {person_id for person_id, _case in row_case.values()}
    existing_docs = set(
        ResidenceDocument.objects.filter(person_id__in=person_ids).values_list("person_id", "kind", "valid_until")
    )
    existing_moments = set(
        Attempt.objects.filter(case_id__in={case.pk for _p, case in row_case.values()}).values_list("case_id", "moment")
    )
    documents, attempts = [], []
    for row, _action, _target in chunk:
        person_id, case = row_case[row.line]
        for doc in row.documents:
            if (person_id, doc["kind"], doc.get("valid_until")) not in existing_docs:
                existing_docs.add((person_id, doc["kind"], doc.get("valid_until")))
                fields = {name: value for name, value in doc.items() if value is not None}
                documents.append(ResidenceDocument(person_id=person_id, **fields))
        for moment in row.attempts:
            if (case.pk, moment) not in existing_moments:
                existing_moments.add((case.pk, moment))
                attempts.append(
                    Attempt(
                        case_id=case.pk,
                        moment=moment,
                        recorded_via=RecordedVia.IMPORT,
                        recorded_by=user,
                        note=note_prefix % {"line": row.line},
                    )
                )
    ResidenceDocument.objects.bulk_create(documents)
    Attempt.objects.bulk_create(attempts)
    counts["documents_created"] += len(documents)
    counts["attempts_created"] += len(attempts)
    ImportedRow.objects.bulk_create(
        ImportedRow(
            batch=batch,
            organisation_id=batch.organisation_id,
            line=row.line,
            fingerprint=row.fingerprint,
            outcome=ImportedRow.Outcome.CREATED if action == "create" else ImportedRow.Outcome.MERGED,
            person_id=row_case[row.line][0],
            case=row_case[row.line][1],
        )
        for row, action, _target in chunk
    )
    counts["rows_imported"] += len(chunk)
    counts["rows_merged"] += sum(1 for _row, action, _target in chunk if action != "create")
    return counts


def refresh_case_counters(case_ids) -> None:
    """Case.attempt_count / last_attempt_at from the rows, like `attempts.services.case_refresh_attempt_counters`
    (`updated_at` too: imported attempts are older than the readiness check they invalidate),
    but set-based: one UPDATE with subqueries per thousand imported cases."""
    ids = sorted(case_ids)
    of_case = Attempt.objects.filter(case_id=OuterRef("pk")).order_by().values("case_id")
    now = timezone.now()
    for start in range(0, len(ids), CHUNK):
        Case.objects.filter(pk__in=ids[start : start + CHUNK]).update(
            attempt_count=Coalesce(Subquery(of_case.annotate(n=Count("id")).values("n")), 0),
            last_attempt_at=Subquery(of_case.annotate(last=Max("moment")).values("last")),
            updated_at=now,
        )


@transaction.atomic
def import_batch_commit(
    *, batch: ImportBatch, by, progress: Callable[[int, int], None] | None = None, request=None
) -> ImportBatch:
    """Write the batch's chosen valid rows in one transaction; refuses a batch already committed."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == ImportBatch.Status.DONE:
        raise ImportCommitError(_("Cet import a déjà été effectué."))
    batch.status = ImportBatch.Status.RUNNING
    table, rows = parse_batch(batch)
    info = classify(batch.organisation_id, rows)
    # The error rows as read now (the file may be committed long after its preview).
    errors = [entry for entry in build_preview(batch, table, rows, info)["rows"] if entry["status"] == ERROR]
    plan = _plan(batch, rows, info, by)
    counts = defaultdict(int, left_out_counts(info, planned=len(plan)))
    person_by_line, case_by_key = {}, {}
    note_prefix = _("Importée du tableur « %(file)s », ligne %%(line)s.") % {"file": batch.original_name}
    for start in range(0, len(plan), CHUNK):
        chunk = plan[start : start + CHUNK]
        for key, value in _write_chunk(batch, by, chunk, person_by_line, case_by_key, note_prefix).items():
            counts[key] += value
        if progress is not None:
            progress(start + len(chunk), len(plan))
    case_ids = {case.pk for case in case_by_key.values()}
    refresh_case_counters(case_ids)
    deadlines_recompute(case_ids)
    batch.counts = dict(counts)
    batch.status = ImportBatch.Status.DONE
    batch.committed_at = timezone.now()
    # Kept until the batch is purged: the error rows, for the downloadable error file.
    batch.preview = {"summary": batch.preview.get("summary", {}), "rows": errors}
    batch.save()
    audit_record(
        action=AuditAction.IMPORT,
        actor=by,
        request=request,
        obj=batch,
        organisation=batch.organisation,
        details={"file_sha256": batch.file_hash, "team": batch.team.name, **batch.counts},
    )
    return batch


def left_out_counts(info: dict, *, planned: int) -> dict:
    """Rows read, and rows left out by reason (error, already imported, identical, skipped by choice)."""
    statuses = [state["status"] for state in info.values()]
    return {
        "rows_total": len(statuses),
        "rows_error": statuses.count(ERROR),
        "rows_already": statuses.count(ALREADY),
        "rows_identical": statuses.count(IDENTICAL),
        "rows_skipped": statuses.count(OK) - planned,
    }
