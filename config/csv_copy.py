"""PostgreSQL writes the CSV: the same file as config/csv_export.py, produced by `COPY ... TO STDOUT`.

Why: formatting a million cells in Python costs about 40 µs per row against about 3 µs for the
database's own CSV writer (bench/RESULTS.md). On PostgreSQL the exports therefore wrap their
query in a SELECT that formats every cell the way `csv_export.format_cell` does, and stream
COPY's output; SQLite (and any column without an SQL form) keeps the Python writer. Tests
compare both writers byte for byte on the same rows (tests/test_export_copy.py).

The cell rules, each the SQL twin of `format_cell` for one kind of value:
- text: formula neutralisation (a leading `=`, `+`, `-`, `@`, tab or carriage return gets an
  apostrophe); an empty text is written as NULL so that COPY leaves the cell empty and unquoted,
  like Python's csv module (COPY quotes empty strings to tell them from NULL);
- booleans: the dialect's words; dates and times: the dialect's formats, times in the project's
  time zone (the session's, set for the COPY) with the UTC offset of each value (summer time);
- decimals: the dialect's decimal separator; integers: as COPY writes them.

Quoting is COPY's CSV quoting (a cell with the delimiter, a double quote, CR or LF), the same
as csv.QUOTE_MINIMAL, except for a cell that is exactly `\\.`, which COPY quotes and Python does
not: both read back as the same text. COPY ends rows with LF; `copy_csv_chunks` turns the row
ends (never the line breaks inside a quoted cell) into the CRLF of RFC 4180.
The BOM and the header line come from csv_export itself.
"""

from collections.abc import Iterator

from django.db import connections, transaction
from django.utils import timezone
from psycopg import sql

from config.csv_export import FORMULA_PREFIXES, CsvDialect, csv_lines

TEXT, INTEGER, BOOLEAN, DATE, DATETIME, DECIMAL = "text", "integer", "boolean", "date", "datetime", "decimal"
# Text that is never empty and never starts with a formula character (checked labels, pseudonyms).
SAFE_TEXT = "safe text"
# Django field types (get_internal_type) whose values COPY can format like format_cell does.
KIND_OF_FIELD = {
    "CharField": TEXT,
    "TextField": TEXT,
    "EmailField": TEXT,
    "URLField": TEXT,
    "SlugField": TEXT,
    "AutoField": INTEGER,
    "BigAutoField": INTEGER,
    "SmallAutoField": INTEGER,
    "IntegerField": INTEGER,
    "BigIntegerField": INTEGER,
    "SmallIntegerField": INTEGER,
    "PositiveIntegerField": INTEGER,
    "PositiveBigIntegerField": INTEGER,
    "PositiveSmallIntegerField": INTEGER,
    "BooleanField": BOOLEAN,
    "DateField": DATE,
    "DateTimeField": DATETIME,
    "DecimalField": DECIMAL,
}
FIRST_SAFE_CODE = max(map(ord, FORMULA_PREFIXES)) + 1  # "A": from there on a first character is harmless
BLOCK_BYTES = 256 * 1024  # rows are joined into blocks of about this size before they are yielded
# strftime formats of csv_export's dialects, in to_char's words (the rest is literal text).
_TO_CHAR = {"%Y": "YYYY", "%m": "MM", "%d": "DD", "%H": "HH24", "%M": "MI", "%S": "SS"}


def literal(value) -> str:
    """A constant as SQL text, quoted by psycopg. The formatting SQL carries no parameters, so an
    expression can appear several times in a CASE without its parameters being repeated. `%` is
    doubled: the statement goes through psycopg's client-side parameter merge."""
    return sql.Literal(value).as_string(None).replace("%", "%%")


def _to_char_format(strftime_format: str) -> tuple[str, bool]:
    """('YYYY-MM-DD"T"HH24:MI:SS', True) for '%Y-%m-%dT%H:%M:%S%z': the pattern, and whether %z ends it."""
    with_offset = strftime_format.endswith("%z")
    source = strftime_format.removesuffix("%z")
    out, text, i = [], [], 0
    while i < len(source):
        token = source[i : i + 2]
        if token in _TO_CHAR:
            if text:
                out.append('"' + "".join(text) + '"')
                text = []
            out.append(_TO_CHAR[token])
            i += 2
            continue
        if source[i] == "%":
            raise ValueError(f"no to_char equivalent for {token!r} in {strftime_format!r}")
        text.append(source[i])
        i += 1
    if text:
        out.append('"' + "".join(text) + '"')
    return "".join(out), with_offset


def format_sql(expression: str, kind: str, dialect: CsvDialect) -> str:
    """The SQL of one cell: what format_cell would write for the value of `expression` (of `kind`).

    `expression` must carry no parameters (a column of the wrapped query, or SQL built with
    `literal`): it may appear several times in the result.
    """
    x = f"({expression})"
    if kind == TEXT:
        # ascii() reads the first character's code without building a substring, and every
        # formula character is below "A" (65): most cells (names, notes) stop at the first branch.
        codes = ", ".join(str(ord(p)) for p in FORMULA_PREFIXES)
        return (
            f"CASE WHEN ascii({x}) > {FIRST_SAFE_CODE - 1} THEN {x} WHEN ascii({x}) IN ({codes}) THEN '''' || {x} "
            f"WHEN {x} = '' THEN NULL ELSE {x} END"
        )
    if kind in (SAFE_TEXT, INTEGER):
        return x
    if kind == BOOLEAN:
        return f"CASE WHEN {x} THEN {literal(dialect.true_label)} WHEN NOT {x} THEN {literal(dialect.false_label)} END"
    if kind == DECIMAL:
        return f"replace({x}::text, '.', {literal(dialect.decimal_separator)})"
    if kind == DATE:
        pattern, _ = _to_char_format(dialect.date_format)
        return f"to_char({x}, {literal(pattern)})"
    if kind == DATETIME:
        # In the session's time zone, which CopyCsv sets to the project's for the COPY: to_char
        # then gives the wall time and its own UTC offset (TZH, TZM: +0100 in winter, +0200 in summer).
        pattern, with_offset = _to_char_format(dialect.datetime_format)
        return f"to_char({x}, {literal(pattern + ('TZHTZM' if with_offset else ''))})"
    raise ValueError(f"no SQL format for {kind!r}")


def _crlf_row_ends(block: bytes) -> bytes:
    """LF -> CRLF outside quoted cells. `block` holds whole rows (COPY sends one message per row),
    and a quoted cell doubles its own quotes: the text between an even and the next odd `"` is
    outside any cell's quotes."""
    parts = block.split(b'"')
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].replace(b"\n", b"\r\n")
    return b'"'.join(parts)


class CopyCsv:
    """The CSV file as bytes, streamed: BOM (excel-fr) and header as csv_export writes them, then
    COPY's rows in blocks of about BLOCK_BYTES. `rows` counts the rows once the file is read."""

    def __init__(self, select_sql: str, params, *, header: list[str], dialect: CsvDialect, using: str = "default"):
        self.select_sql, self.params, self.header, self.dialect, self.using = select_sql, params, header, dialect, using
        self.tz_name = timezone.get_current_timezone_name()
        self.rows = 0

    def __iter__(self) -> Iterator[bytes]:
        yield "".join(csv_lines(header=self.header, rows=(), dialect=self.dialect)).encode("utf-8")
        yield from self._blocks()

    def _blocks(self) -> Iterator[bytes]:
        # The delimiter goes as a parameter so that psycopg always merges the parameters (client
        # side: COPY takes none), which also turns the query's escaped `%%` into `%` as execute() does.
        statement = f"COPY ({self.select_sql}) TO STDOUT WITH (FORMAT csv, DELIMITER %s)"
        params = [*self.params, self.dialect.delimiter]
        connection = connections[self.using]
        # The project's time zone for this transaction only (set_config(..., true) is SET LOCAL;
        # parallel workers inherit it): format_sql's to_char reads it. Put back before the end of
        # the block for a caller's enclosing transaction; an error rolls it back with the savepoint.
        with transaction.atomic(using=self.using), connection.cursor() as wrapper:
            wrapper.execute("SELECT set_config('TimeZone', %s, true)", [self.tz_name])
            with wrapper.cursor.copy(statement, params) as copy:
                pending, size = [], 0
                for row in copy:  # one message per row
                    pending.append(row)
                    size += len(row)
                    if size >= BLOCK_BYTES:
                        self.rows += len(pending)
                        yield _crlf_row_ends(b"".join(pending))
                        pending, size = [], 0
                if pending:
                    self.rows += len(pending)
                    yield _crlf_row_ends(b"".join(pending))
            wrapper.execute("SELECT set_config('TimeZone', %s, true)", [connection.timezone_name])
