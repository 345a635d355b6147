"""What each CSV export contains: its scoped, filtered queryset, its columns, and the row stream.

The same `ExportKind.build(request)` serves the streamed download and the background job
(which rebuilds a request-like object from the stored filters), so both paths apply exactly
the same scoping rule and filters as the page the export comes from.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connections
from django.db.models import Count, Exists, Expression, F, OuterRef, Q, TextField
from django.db.models.functions import TruncWeek
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attempts.enums import Outcome
from attempts.models import Attempt
from cases.filters import CaseFilter, default_scope
from cases.selectors import cases_for_list
from config.csv_copy import KIND_OF_FIELD, CopyCsv, format_sql
from config.csv_export import CsvDialect, csv_lines
from litigation.models import LitigationAction
from litigation.selectors import actions_for_user, referrals_for_user
from reports import columns as cols
from reports.filters import AttemptExportFilter, AttemptPeriodFilter, LitigationExportFilter, ReferralExportFilter
from reports.statistics import PARIS

CHUNK_SIZE = 2000
# Query parameters that shape the file, not the rows: never passed to the filters.
FORMAT_PARAMS = ("dialect", "pseudonymise", "page")
SATURATION_DEFAULT_WEEKS = 12


class ExportFilterError(ValueError):
    """The filters are invalid: refuse rather than silently export more rows than asked."""

    def __init__(self, errors):
        super().__init__(str(errors))
        self.errors = errors


@dataclass(frozen=True)
class ExportRequest:
    """What a filter needs of a request; the job rebuilds one from the stored filters."""

    user: object
    GET: QueryDict  # noqa: N815 - same name as HttpRequest.GET, which FilterSets read


@dataclass(frozen=True)
class ExportKind:
    key: str
    title: str
    filename: str
    columns: tuple
    build: Callable  # (ExportRequest) -> queryset of the rows (values_list-able)


def filter_params(querydict) -> dict[str, list[str]]:
    """The filters of a request, as stored on an ExportJob and written to the audit journal."""
    return {key: querydict.getlist(key) for key in sorted(querydict) if key not in FORMAT_PARAMS}


def querydict_from(params: dict[str, list[str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in params.items():
        data.setlist(key, values)
    return data


def _filtered(filterset_class, request, queryset, data=None):
    filterset = filterset_class(request.GET if data is None else data, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise ExportFilterError(filterset.errors)
    return filterset.qs


def cases_queryset(request):
    """Exactly the rows of /cases/ with the same parameters: same selector, filters and default tab."""
    data = request.GET.copy()
    data.setdefault("scope", default_scope(request.user))
    return _filtered(CaseFilter, request, cases_for_list(request.user), data)


def attempts_queryset(request):
    return _filtered(AttemptExportFilter, request, Attempt.objects.visible_to(request.user)).order_by("moment", "id")


def saturation_queryset(request):
    """Attempts and "no slot" answers per prefecture and week (default: the last 12 weeks)."""
    attempts = _filtered(AttemptPeriodFilter, request, Attempt.objects.visible_to(request.user))
    if not request.GET.get("date_from"):
        since = timezone.localdate() - datetime.timedelta(weeks=SATURATION_DEFAULT_WEEKS)
        attempts = attempts.filter(moment__date__gte=since)
    return (
        attempts.annotate(week=TruncWeek("moment", tzinfo=PARIS))
        .values("case__prefecture__code", "case__prefecture__name", "week")
        .annotate(
            total=Count("pk"),
            no_slot=Count("pk", filter=Q(outcome=Outcome.NO_SLOT)),
            cases=Count("case_id", distinct=True),
        )
        .order_by("case__prefecture__code", "week")
    )


def litigation_queryset(request):
    """Court actions of visible cases, with the litigation queue's own "order not executed" rule."""
    late = LitigationAction.objects.order_not_executed(timezone.localdate()).filter(pk=OuterRef("pk"))
    return (
        _filtered(LitigationExportFilter, request, actions_for_user(request.user))
        .annotate(not_executed=Exists(late))
        .order_by("filed_on", "id")
    )


def referrals_queryset(request):
    return _filtered(ReferralExportFilter, request, referrals_for_user(request.user)).order_by("sent_on", "id")


def _week_day(value):
    return timezone.localtime(value, PARIS).date() if isinstance(value, datetime.datetime) else value


KINDS = {
    kind.key: kind
    for kind in (
        ExportKind("cases", _("Dossiers"), "dossiers", cols.CASE_COLUMNS, cases_queryset),
        ExportKind("attempts", _("Tentatives"), "tentatives", cols.ATTEMPT_COLUMNS, attempts_queryset),
        ExportKind(
            "saturation",
            _("Saturation par préfecture et semaine"),
            "saturation",
            cols.SATURATION_COLUMNS,
            saturation_queryset,
        ),  # fmt: skip
        ExportKind("litigation", _("Recours contentieux"), "contentieux", cols.LITIGATION_COLUMNS, litigation_queryset),
        ExportKind(
            "referrals",
            _("Saisines du Défenseur des droits"),
            "saisines-defenseur",
            cols.REFERRAL_COLUMNS,
            referrals_queryset,
        ),
    )
}


def export_rows(queryset, columns: list) -> Iterator[list]:
    """Rows as lists of cell values, read in chunks from a server-side cursor: memory stays flat."""
    fields = cols.fields_for(columns)
    week = fields.index("week") if "week" in fields else None
    # Positions instead of a dict per row: a million rows make every per-row step count.
    plain = [fields.index(c.fields[0]) if c.convert is None else None for c in columns]
    converted = [(c.convert, [fields.index(f) for f in c.fields]) for c in columns]
    for values in queryset.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
        if week is not None:
            values = list(values)
            values[week] = _week_day(values[week])
        yield [
            values[index] if index is not None else convert(*[values[i] for i in positions])
            for index, (convert, positions) in zip(plain, converted, strict=True)
        ]


def export_filename(kind: ExportKind, *, pseudonymise: bool) -> str:
    suffix = "-pseudonymise" if pseudonymise else ""
    return f"{kind.filename}{suffix}-{timezone.localdate():%Y-%m-%d}.csv"


def _field_kind(queryset, path: str) -> str | None:
    """The csv_copy kind of a values_list field (a lookup path or an annotation); None: unknown."""
    if path in queryset.query.annotations:
        field = queryset.query.annotations[path].output_field
    else:
        model, *parts = queryset.model, *path.split("__")
        for part in parts[:-1]:
            model = model._meta.get_field(part).related_model
        field = model._meta.get_field(parts[-1])
        if field.is_relation:
            field = field.target_field
    return KIND_OF_FIELD.get(field.get_internal_type())


def copy_select(queryset, columns: list, dialect: CsvDialect) -> tuple[str, tuple] | None:
    """On PostgreSQL, the SELECT that writes the export's cells (see config/csv_copy.py): the rows
    of `queryset` (its scoping, filters and order untouched) with each column converted and
    formatted in SQL. None when a column has no SQL twin: the Python writer runs.

    The cells are annotations of the queryset itself rather than a SELECT around it: PostgreSQL
    then computes them where the rows are read, in its parallel workers, before the sort.
    """
    if connections[queryset.db].vendor != "postgresql" or queryset.query.distinct or queryset.query.group_by:
        return None  # extra select expressions would change what DISTINCT or GROUP BY compare
    cells = {}
    for i, column in enumerate(columns):
        if column.convert is None:
            kind = _field_kind(queryset, column.fields[0])
            twin = (lambda value, kind=kind: (value, kind)) if kind else None
        else:
            twin = getattr(column.convert, "sql", None)
        if twin is None:
            return None
        cells[f"csv_cell_{i}"] = Cell(lambda *values, twin=twin: format_sql(*twin(*values), dialect), *column.fields)
    return queryset.annotate(**cells).values_list(*cells).query.sql_with_params()


class Cell(Expression):
    """One CSV cell as an ORM expression: `build` receives the SQL of its fields (joins resolved by
    Django) and returns the cell's SQL, in which a field may appear several times."""

    output_field = TextField()

    def __init__(self, build, *fields):
        super().__init__()
        self.build = build
        self.sources = [F(field) for field in fields]

    def get_source_expressions(self):
        return self.sources

    def set_source_expressions(self, exprs):
        self.sources = list(exprs)

    def as_sql(self, compiler, connection):
        compiled = [compiler.compile(source) for source in self.sources]
        # Build with markers, then put each field's SQL and parameters where its marker stands.
        template = self.build(*(f"\0{i}\0" for i in range(len(compiled))))
        sql, params = [], []
        for position, part in enumerate(template.split("\0")):
            if position % 2:
                sql.append(compiled[int(part)][0])
                params.extend(compiled[int(part)][1])
            else:
                sql.append(part)
        return "".join(sql), params


class ExportStream:
    """The export file as bytes: by COPY on PostgreSQL when every column has an SQL twin, by the
    Python writer otherwise; the same bytes either way. `rows` is the count once it is read."""

    def __init__(self, queryset, columns: list, dialect: CsvDialect):
        self.header = [c.name for c in columns]
        self.dialect = dialect
        self.queryset, self.columns = queryset, columns
        select = copy_select(queryset, columns, dialect)
        self.copy = CopyCsv(*select, header=self.header, dialect=dialect, using=queryset.db) if select else None
        self.python_rows = 0
        self._chunks = None

    @property
    def rows(self) -> int:
        return self.copy.rows if self.copy else self.python_rows

    def __iter__(self) -> Iterator[bytes]:
        self._chunks = self._generate()
        return self._chunks

    def close(self) -> None:
        """A download stopped half-way (StreamingHttpResponse calls this): end the COPY and its
        transaction now, not whenever the garbage collector gets to the generator."""
        if self._chunks is not None:
            self._chunks.close()

    def _generate(self) -> Iterator[bytes]:
        if self.copy:
            yield from self.copy
            return
        for line in csv_lines(header=self.header, rows=self._counted(), dialect=self.dialect):
            yield line.encode("utf-8")

    def _counted(self):
        for row in export_rows(self.queryset, self.columns):
            self.python_rows += 1
            yield row
