"""Safe CSV writing shared by every export of the project (audit journal, cases, attempts...).

Three things every export needs and must not re-implement:
- formula-injection neutralisation (OWASP "CSV injection"): a cell that starts with
  `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with an apostrophe, so that a
  spreadsheet shows it as text instead of running it. Names and notes are typed by people
  and by the persons helped themselves (self-report links): they are untrusted.
- two dialects: `rfc4180` (the default: comma, CRLF, ISO 8601 dates) for tools, and
  `excel-fr` (semicolon, UTF-8 with BOM, dd/mm/yyyy dates, decimal comma) for a French
  spreadsheet that opens the file with a double click.
- streaming: rows are produced by a generator and written one by one (csv.writer over a
  buffer that just returns what it is given), so a 100 000-row export never sits in memory.

Usage in a view:

    from config.csv_export import csv_response, dialect_from_request

    return csv_response(
        filename="dossiers.csv",
        header=["Nom", "Date"],
        rows=((c.person.last_name, c.created_at) for c in queryset.iterator(chunk_size=2000)),
        dialect=dialect_from_request(request),
    )

In a job writing a file: `write_csv(fileobj, header=..., rows=..., dialect=...)` with a text
file opened with `newline=""` and `encoding="utf-8"`.
"""

import csv
import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import content_disposition_header

# OWASP: characters that make a spreadsheet treat a cell as a formula or a DDE command.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


@dataclass(frozen=True)
class CsvDialect:
    name: str
    delimiter: str
    bom: bool
    date_format: str
    datetime_format: str
    decimal_separator: str
    true_label: str
    false_label: str


RFC4180 = CsvDialect(
    name="rfc4180",
    delimiter=",",
    bom=False,
    date_format="%Y-%m-%d",
    datetime_format="%Y-%m-%dT%H:%M:%S%z",
    decimal_separator=".",
    true_label="true",
    false_label="false",
)
EXCEL_FR = CsvDialect(
    name="excel-fr",
    delimiter=";",
    bom=True,
    date_format="%d/%m/%Y",
    datetime_format="%d/%m/%Y %H:%M",
    decimal_separator=",",
    true_label="oui",
    false_label="non",
)
DIALECTS = {RFC4180.name: RFC4180, EXCEL_FR.name: EXCEL_FR}
DEFAULT_DIALECT = RFC4180


def get_dialect(name: str | None) -> CsvDialect:
    """The dialect called `name`; the default one for a missing or unknown name."""
    return DIALECTS.get((name or "").strip().lower(), DEFAULT_DIALECT)


def dialect_from_request(request) -> CsvDialect:
    """`?dialect=excel-fr` on an export URL (the design's public interface)."""
    return get_dialect(request.GET.get("dialect"))


def neutralise(text: str) -> str:
    """Prefix a cell that a spreadsheet would evaluate as a formula with an apostrophe."""
    if text and text[0] in FORMULA_PREFIXES:
        return "'" + text
    return text


def format_cell(value: Any, dialect: CsvDialect = DEFAULT_DIALECT, tz=None) -> str:
    """One value as the text of a cell: typed values formatted, every text neutralised.

    Numbers are not neutralised (a negative number is a number); everything that reaches
    the file as free text is. Aware datetimes are shown in the project time zone (Paris).
    """
    if value is None:
        return ""
    kind = type(value)  # the common cases first: exports format millions of cells
    if kind is str:
        return neutralise(value)
    if kind is int:
        return str(value)
    if isinstance(value, bool):
        return dialect.true_label if value else dialect.false_label
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return str(value).replace(".", dialect.decimal_separator)
    if isinstance(value, datetime.datetime):
        if value.utcoffset() is not None:
            value = value.astimezone(tz or timezone.get_current_timezone())
        return value.strftime(dialect.datetime_format)
    if isinstance(value, datetime.date):
        return value.strftime(dialect.date_format)
    return neutralise(force_str(value))


class _Echo:
    """A file-like object whose write() hands the line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def _writer(buffer, dialect: CsvDialect):
    return csv.writer(buffer, delimiter=dialect.delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")


def csv_lines(
    *, header: Sequence[Any] | None, rows: Iterable[Sequence[Any]], dialect: CsvDialect = DEFAULT_DIALECT
) -> Iterator[str]:
    """The file as a stream of text lines (the BOM first for excel-fr)."""
    writer = _writer(_Echo(), dialect)
    tz = timezone.get_current_timezone()
    if dialect.bom:
        yield BOM
    if header is not None:
        yield writer.writerow([format_cell(cell, dialect, tz) for cell in header])
    for row in rows:
        yield writer.writerow([format_cell(cell, dialect, tz) for cell in row])


def write_csv(
    fileobj, *, header: Sequence[Any] | None, rows: Iterable[Sequence[Any]], dialect: CsvDialect = DEFAULT_DIALECT
) -> int:
    """Write the CSV to an open text file (opened with newline=""); returns the number of rows."""
    counted = 0

    def counting(source):
        nonlocal counted
        for row in source:
            counted += 1
            yield row

    for line in csv_lines(header=header, rows=counting(rows), dialect=dialect):
        fileobj.write(line)
    return counted


def csv_response(
    *,
    filename: str,
    header: Sequence[Any] | None,
    rows: Iterable[Sequence[Any]],
    dialect: CsvDialect = DEFAULT_DIALECT,
) -> StreamingHttpResponse:
    """A streamed CSV download: never shown inline, never cached by a shared proxy."""
    lines = csv_lines(header=header, rows=rows, dialect=dialect)
    return csv_bytes_response(filename=filename, content=(line.encode("utf-8") for line in lines))


def csv_bytes_response(*, filename: str, content: Iterable[bytes]) -> StreamingHttpResponse:
    """The same download for a file already produced as bytes (e.g. by config/csv_copy.py)."""
    response = StreamingHttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store, private"
    return response
