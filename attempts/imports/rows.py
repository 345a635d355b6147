"""One spreadsheet row + the mapping -> a `ParsedRow`: the values to write, or why not.

Errors (the row is not imported) and warnings (imported; the unreadable text is kept in the
case notes so nothing typed is lost) are reported per cell with a code (see messages.py).
"""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from attempts.imports import parsers
from attempts.imports.mapping import FIELD_LABELS
from attempts.imports.messages import Problem
from cases.enums import CaseStatus, DocumentKind

MAX_LENGTHS = {"last_name": 150, "first_name": 150, "birth_place": 150, "languages": 200, "phone": 40,
               "document_number": 40}  # fmt: skip
NO_EMAIL = {"pas d email", "pas de mail", "pas de email", "aucun", "aucune", "non", "sans", "neant", "none", "no",
            "n a pas d email", "pas d adresse mail"}  # fmt: skip
DATE_FIELDS = ("document_valid_from", "document_valid_until", "recepisse_valid_until", "entry_date", "filing_date")


@dataclass
class ParsedRow:
    line: int
    raw: dict  # field -> cell text, as in the file
    person: dict = field(default_factory=dict)
    case: dict = field(default_factory=dict)
    documents: list = field(default_factory=list)
    attempts: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    fingerprint: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def display_name(self) -> str:
        return f"{self.person.get('last_name', '').upper()} {self.person.get('first_name', '')}".strip()


def fingerprint(raw: dict) -> str:
    """Same content -> same fingerprint, whatever the column order, file format or spacing."""
    canonical = {name: parsers.words(value) for name, value in raw.items() if name and parsers.words(value)}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def split_full_name(text: str) -> tuple[str, str]:
    """ "DIALLO Aïcha Binta" -> ("DIALLO", "Aïcha Binta"); without capitals the first word is the name."""
    tokens = text.split()
    upper = []
    for token in tokens:
        if token.isupper() and any(c.isalpha() for c in token):
            upper.append(token)
        else:
            break
    if upper and len(upper) < len(tokens):
        return " ".join(upper), " ".join(tokens[len(upper) :])
    return (tokens[0], " ".join(tokens[1:])) if tokens else ("", "")


class RowParser:
    """Parses rows with what one import shares: the prefecture matcher, defaults and 'now'."""

    def __init__(self, *, matcher, now: datetime.datetime, defaults: dict | None = None):
        self.matcher = matcher
        self.now = now
        self.today = now.astimezone(parsers.PARIS).date()
        self.defaults = defaults or {}

    def parse(self, line: int, columns: list[str], cells: list[str]) -> ParsedRow:
        raw = {name: cell for name, cell in zip(columns, cells, strict=False) if name and cell}
        row = ParsedRow(line=line, raw=raw, fingerprint=fingerprint(raw))
        self._person(row)
        self._case(row)
        self._documents(row)
        self._attempts(row)
        if raw.get("notes"):
            row.notes.insert(0, raw["notes"])
        return row

    def _error(self, row, code, name, **params):
        row.errors.append(Problem(code, name, params))

    def _warn(self, row, code, name, note=True, **params):
        row.warnings.append(Problem(code, name, params))
        if note:
            label = FIELD_LABELS.get(name, name)
            row.notes.append(_("Import, %(field)s : « %(value)s »") % {"field": label, "value": params.get("value")})

    def _date(self, row, name, past_only=False):
        try:
            return parsers.parse_date(row.raw.get(name, ""), today=self.today, past_only=past_only)
        except parsers.CellError as error:
            self._error(row, error.code, name, **error.params)
            return None

    def _text(self, row, name):
        value = row.raw.get(name, "")
        limit = MAX_LENGTHS.get(name)
        if limit and len(value) > limit:
            self._error(row, "too_long", name, max=limit)
            return ""
        return value

    def _person(self, row):
        raw, person = row.raw, row.person
        last, first = raw.get("last_name", ""), raw.get("first_name", "")
        if not last and raw.get("full_name"):
            last, split_first = split_full_name(raw["full_name"])
            first = first or split_first
        if not last:
            self._error(row, "name_missing", "last_name")
        person["last_name"], person["first_name"] = last, first
        for name in ("last_name", "first_name"):
            if len(person[name]) > MAX_LENGTHS[name]:
                self._error(row, "too_long", name, max=MAX_LENGTHS[name])
        birth = self._date(row, "birth_date", past_only=True)
        if birth and birth > self.today:
            self._error(row, "birth_in_future", "birth_date", value=birth.strftime("%d/%m/%Y"))
        person["birth_date"] = birth
        for name in ("birth_place", "languages", "phone"):
            person[name] = self._text(row, name)
        person["postal_address"] = raw.get("postal_address", "")
        try:
            person["nationality"] = parsers.parse_nationality(raw.get("nationality", ""))
        except parsers.CellError as error:
            person["nationality"] = ""
            self._warn(row, error.code, "nationality", **error.params)
        self._email(row)
        number = re.sub(r"[\s.\-]", "", raw.get("foreigner_number", ""))
        if number and not re.fullmatch(r"\d{10}", number):
            self._warn(row, "foreigner_number_invalid", "foreigner_number", value=raw["foreigner_number"])
            number = ""
        person["foreigner_number"] = number

    def _email(self, row):
        text = row.raw.get("email", "")
        row.person["email"], row.person["has_no_email"] = "", False
        if not text:
            return
        if parsers.words(text) in NO_EMAIL:
            row.person["has_no_email"] = True
            return
        try:
            validate_email(text)
        except ValidationError:
            self._warn(row, "email_invalid", "email", value=text)
            return
        row.person["email"] = text

    def _case(self, row):
        raw, case = row.raw, row.case
        try:
            case["prefecture_id"] = self.matcher.match(raw.get("prefecture", "")) or self.defaults.get("prefecture")
        except parsers.CellError as error:
            case["prefecture_id"] = None
            self._error(row, error.code, "prefecture", **error.params)
        else:
            if case["prefecture_id"] is None:
                self._error(row, "prefecture_missing", "prefecture")
        try:
            case["procedure"] = parsers.parse_procedure(raw.get("procedure", "")) or self.defaults.get("procedure")
        except parsers.CellError as error:
            case["procedure"] = None
            self._error(row, error.code, "procedure", **error.params)
        else:
            if not case["procedure"]:
                self._error(row, "procedure_missing", "procedure")
        case["entry_date"] = self._date(row, "entry_date", past_only=True)
        case["filing_date"] = self._date(row, "filing_date")

    def _documents(self, row):
        raw = row.raw
        valid_from = self._date(row, "document_valid_from")
        valid_until = self._date(row, "document_valid_until")
        recepisse_until = self._date(row, "recepisse_valid_until")
        number = self._text(row, "document_number")
        kind = years = None
        try:
            found = parsers.parse_document_kind(raw.get("document_kind", ""))
            if found:
                kind, years = found
        except parsers.CellError as error:
            self._warn(row, error.code, "document_kind", **error.params)
        if valid_from and valid_until and valid_until < valid_from:
            self._error(
                row,
                "validity_order",
                "document_valid_until",
                until=valid_until.strftime("%d/%m/%Y"),
                since=valid_from.strftime("%d/%m/%Y"),
            )
        if kind:
            row.documents.append(
                {"kind": kind, "valid_from": valid_from, "valid_until": valid_until, "number": number,
                 "duration_years": years}
            )  # fmt: skip
        elif valid_until and "document_kind" not in {w.field for w in row.warnings}:
            self._warn(row, "document_without_kind", "document_valid_until", value=raw["document_valid_until"])
        if recepisse_until and kind != DocumentKind.RECEPISSE:
            row.documents.append({"kind": DocumentKind.RECEPISSE.value, "valid_until": recepisse_until})
        elif recepisse_until and kind == DocumentKind.RECEPISSE and not valid_until:
            row.documents[-1]["valid_until"] = recepisse_until

    def _attempts(self, row):
        text = row.raw.get("attempts", "")
        try:
            moments = parsers.parse_attempt_moments(text, today=self.today)
        except parsers.CellError as error:
            self._error(row, error.code, "attempts", **error.params)
            return
        for moment in moments:
            if moment > self.now:
                self._error(row, "attempt_in_future", "attempts", value=moment.strftime("%d/%m/%Y %H:%M"))
        row.attempts = sorted(set(moments))
        row.case["status"] = CaseStatus.ATTEMPTING.value if row.attempts else CaseStatus.INTAKE.value
