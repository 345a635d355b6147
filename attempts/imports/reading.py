"""Bytes of an uploaded spreadsheet -> header and rows of text.

CSV: the encoding is detected (strict UTF-8 first, with or without BOM, then Windows-1252), the
separator sniffed among ; , tab | with a counting fallback. XLSX: read with openpyxl in read-only
mode and `data_only=False`, so a formula is read as its text ("=HYPERLINK(...)") and never
evaluated. Blank lines are skipped; every row keeps its spreadsheet line number for messages.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

DELIMITERS = ";,\t|"
SNIFF_BYTES = 64 * 1024
MAX_COLUMNS = 100
# An XLSX is a zip: refuse one that would inflate beyond this (a "zip bomb").
MAX_XLSX_UNZIPPED = 200 * 1024 * 1024
# Windows-1252 leaves five bytes undefined; a file using them is not Windows-1252.
ENCODINGS = ("utf-8-sig", "cp1252")


class UnreadableFile(ValueError):
    """The file cannot be read as a spreadsheet; the message is for the user."""


@dataclass
class Table:
    headers: list[str]
    # (line number in the spreadsheet, cells as text), blank lines left out.
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    file_format: str = "csv"
    encoding: str = ""
    delimiter: str = ""


def is_xlsx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def decode(data: bytes) -> tuple[str, str]:
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        name = "utf-8-bom" if encoding == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf") else encoding
        return text, ("utf-8" if name == "utf-8-sig" else name)
    raise UnreadableFile(_("Encodage non reconnu : enregistrez le fichier en UTF-8 ou en CSV Windows."))


def sniff_delimiter(text: str) -> str:
    sample = "\n".join(line for line in text[:SNIFF_BYTES].splitlines()[:50] if line.strip())
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        # Sniffer gives up on ragged files: the separator most used on the header line wins.
        header = sample.splitlines()[0] if sample else ""
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ";"


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ", "minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    return text.strip()


def _table(records, **meta) -> Table:
    headers, rows = None, []
    for line, record in enumerate(records, start=1):
        cells = [_clean(cell) for cell in record]
        if not any(cells):
            continue
        if headers is None:
            headers = cells
            continue
        rows.append((line, cells))
    if headers is None:
        raise UnreadableFile(_("Le fichier est vide."))
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise UnreadableFile(_("Trop de colonnes (plus de %(max)s).") % {"max": MAX_COLUMNS})
    width = len(headers)
    rows = [(line, (cells + [""] * width)[:width]) for line, cells in rows]
    return Table(headers=headers, rows=rows, **meta)


def read_csv(data: bytes) -> Table:
    if b"\x00" in data[:SNIFF_BYTES]:
        raise UnreadableFile(_("Ce fichier n'est pas un tableur CSV ou XLSX."))
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=False)
    try:
        return _table(reader, file_format="csv", encoding=encoding, delimiter=delimiter)
    except csv.Error as error:
        raise UnreadableFile(_("Fichier CSV illisible : %(error)s") % {"error": error}) from error


def read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNZIPPED:
            raise UnreadableFile(_("Classeur XLSX trop volumineux une fois décompressé."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise UnreadableFile(_("Classeur XLSX illisible.")) from error
    try:
        sheet = workbook.worksheets[0]
        return _table(sheet.iter_rows(values_only=True), file_format="xlsx")
    finally:
        workbook.close()


def read_table(data: bytes) -> Table:
    return read_xlsx(data) if is_xlsx(data) else read_csv(data)
