"""Pure value parsers: one spreadsheet cell in, one value out, or a `CellError` with a code.

They read cells the way French spreadsheets write them and know nothing of the database: the
prefecture matcher is built from plain rows, the nationality table from a data file. A cell we
cannot read with certainty is an error, never a guess.
"""

import csv
import datetime
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.utils.translation import get_language

from cases.enums import DocumentKind, ProcedureType

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NATIONALITIES_CSV = Path(__file__).resolve().parent / "data" / "nationalities.csv"
# Two-digit years: a year up to this many years ahead is this century, otherwise the last one.
TWO_DIGIT_YEAR_AHEAD = 20
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


class CellError(ValueError):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def fold(text: str) -> str:
    """Lower case, no accents, ligatures split (œ -> oe), typographic apostrophes made plain."""
    text = (text or "").replace("œ", "oe").replace("Œ", "OE").replace("’", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=65536)
def words(text: str) -> str:
    """Folded words separated by single spaces: "Seine-St-Denis (93)" -> "seine st denis 93"."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


# --- dates -------------------------------------------------------------------------------------

MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "mar": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "aou": 8,
    "septembre": 9, "sept": 9, "sep": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
    "decembre": 12, "dec": 12,
}  # fmt: skip
# Lookarounds keep a pattern from starting or ending inside a longer number ("2026-08-17").
DATE_PATTERNS = (
    # 05/10/2026, 5/10/26, 05.10.2026, 05-10-2026 (day first: French order)
    re.compile(r"(?<!\d)(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4}|\d{2})(?!\d)"),
    # 2026-10-05, 2026/10/05 (and the date part of an ISO timestamp)
    re.compile(r"(?<!\d)(?P<y>\d{4})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<d>\d{1,2})(?!\d)"),
    # 5 octobre 2026, 1er mai 2026, 16 sept. 1993
    re.compile(r"(?<!\d)(?P<d>\d{1,2})(?:er)?\s+(?P<month>[a-z]+)\.?\s+(?P<y>\d{4}|\d{2})(?!\d)"),
)


def _year(text: str, today: datetime.date, past_only: bool) -> int:
    year = int(text)
    if len(text) == 4:
        return year
    year += 2000
    limit = today.year if past_only else today.year + TWO_DIGIT_YEAR_AHEAD
    return year if year <= limit else year - 100


def _first_match(folded: str):
    """The earliest date-looking match of any pattern (a cell may mix formats)."""
    matches = []
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(folded):
            if match.groupdict().get("month") is None or match.group("month") in MONTHS:
                matches.append(match)
                break
    return min(matches, key=lambda m: m.start(), default=None)


def _match_date(folded: str, today: datetime.date, past_only: bool):
    """(date, span) for the first date in `folded`, or None. Raises on an impossible date."""
    match = _first_match(folded)
    if match is None:
        return None
    parts = match.groupdict()
    month = MONTHS[parts["month"]] if parts.get("month") else int(parts["m"])
    day, year = int(parts["d"]), _year(parts["y"], today, past_only)
    try:
        value = datetime.date(year, month, day)
    except ValueError:
        raise CellError("date_impossible", value=f"{day:02d}/{month:02d}/{year}") from None
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise CellError("date_implausible", value=value.strftime("%d/%m/%Y"))
    return value, match.span()


def parse_date(text: str, *, today: datetime.date, past_only: bool = False) -> datetime.date | None:
    """A date as French spreadsheets write it; None for an empty cell.

    `past_only` (birth dates) puts two-digit years in the past: "1/12/82" is 1982.
    """
    if isinstance(text, datetime.datetime):
        return text.date()
    if isinstance(text, datetime.date):
        return text
    folded = fold(text).strip()
    if not folded:
        return None
    found = _match_date(folded, today, past_only)
    if found is None:
        raise CellError("not_a_date", value=text.strip())
    value, (start, end) = found
    leftover = folded[:start] + folded[end:]
    # An ISO timestamp's time ("2026-10-05 00:00:00") is not part of a date cell's meaning.
    leftover = re.sub(r"t?\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?", "", leftover)
    if re.search(r"[a-z0-9]", leftover):
        raise CellError("not_a_date", value=text.strip())
    return value


# --- the attempts column: "17/08/2026 10h00; 14/08/2026 13h00" ---------------------------------

TIME = r"(?P<hh>\d{1,2})\s*(?:h|:)\s*(?P<mm>\d{2})?(?::\d{2})?"
# Between a date and its time: nothing, "à", a comma, "-", "T" of ISO timestamps.
JOINER = r"(?:\s*(?:a|,|-|t)?\s*)"
SEPARATORS = r"[\s;,|/+\-]|\b(?:et|le|puis)\b"


def parse_attempt_moments(text: str, *, today: datetime.date) -> list[datetime.datetime]:
    """Every "date time" in the cell as aware datetimes in Paris time, in the order written.

    Anything left that is not a separator makes the whole cell an error: a dropped attempt
    would silently weaken a court file.
    """
    folded = fold(text or "")
    moments, leftover, position = [], [], 0
    while True:
        found = _match_date(folded[position:], today, past_only=False)
        if found is None:
            break
        day, (start, end) = found
        leftover.append(folded[position : position + start])
        after = folded[position + end :]
        time_match = re.match(JOINER + TIME, after)
        if time_match is None or (time_match.group("mm") is None and "h" not in time_match.group(0)):
            raise CellError("attempt_without_time", value=day.strftime("%d/%m/%Y"))
        hour, minute = int(time_match.group("hh")), int(time_match.group("mm") or 0)
        if hour > 23 or minute > 59:
            raise CellError("attempt_impossible_time", value=time_match.group(0).strip())
        moments.append(datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS))
        position += end + time_match.end()
    leftover.append(folded[position:])
    rest = re.sub(SEPARATORS, "", " ".join(leftover))
    if rest:
        raise CellError("attempt_unreadable", value=(text or "").strip())
    return moments


# --- prefectures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrefectureRef:
    pk: int
    name: str
    city: str
    department_code: str
    department_name: str
    is_sub: bool


# Words that say "a prefecture" without saying which one.
PREFECTURE_NOISE = {"prefecture", "pref", "sous", "sp", "de", "la", "le", "l", "du", "des", "d", "en", "a"}
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "s": "sur"}


def _key(text: str) -> str:
    tokens = [ABBREVIATIONS.get(t, t) for t in words(text).split()]
    return " ".join(t for t in tokens if t not in PREFECTURE_NOISE)


class PrefectureMatcher:
    """Finds a prefecture by its name, its city, its département's name or number.

    Built once per import from plain rows, so matching 10,000 cells costs no query.
    """

    def __init__(self, prefectures):
        self.by_key: dict[str, set[int]] = {}
        self.refs = {ref.pk: ref for ref in prefectures}
        main_by_department = {r.department_code: r.pk for r in self.refs.values() if not r.is_sub}
        prefixes: dict[str, set[int]] = {}
        for ref in self.refs.values():
            self._add(_key(ref.name), ref.pk)
            self._add(_key(ref.city), ref.pk)
            # "Evry" for Évry-Courcouronnes: a city's first part, kept below only if unambiguous.
            # "Préfecture de police" for the one of Paris: a name's first word, the same way.
            for full in (_key(ref.city), _key(ref.name)):
                first = full.split(" ")[0]
                if len(first) >= 4 and first != full:
                    prefixes.setdefault(first, set()).add(ref.pk)
            main = main_by_department.get(ref.department_code, ref.pk)
            self._add(_key(ref.department_name), main)
            self._add(ref.department_code.lower(), main)
        for prefix, pks in prefixes.items():
            if len(pks) == 1 and prefix not in self.by_key:
                self._add(prefix, next(iter(pks)))

    def _add(self, key: str, pk: int) -> None:
        if key:
            self.by_key.setdefault(key, set()).add(pk)

    def _candidates(self, text: str) -> set[int]:
        key = _key(text)
        found = set(self.by_key.get(key, ()))
        if not found and re.fullmatch(r"0?\d{1,3}|2[ab]", key or "-"):
            found = set(self.by_key.get(key.lstrip("0").zfill(2), ()))
        return found

    def match(self, text: str) -> int | None:
        """The prefecture's pk; None for an empty cell; CellError when unknown or ambiguous."""
        text = (text or "").strip()
        if not text:
            return None
        outside = re.sub(r"\([^)]*\)", " ", text)
        inside = re.findall(r"\(([^)]*)\)", text)
        found = self._candidates(outside) if _key(outside) else set()
        for part in inside:
            code = _key(part).lstrip("0").zfill(2) if re.fullmatch(r"\s*(\d{1,3}|2[abAB])\s*", part) else ""
            if code and found:
                # "Val-de-Marne (94)": the number narrows (or contradicts) the name.
                found = {pk for pk in found if self.refs[pk].department_code.lower() == code}
                if not found:
                    raise CellError("prefecture_unknown", value=text)
            elif not found:
                # "(Bobigny)" alone; a note such as "(sous-préf)" adds nothing.
                found = self._candidates(part)
        said = set(words(text).split())
        if len(found) > 1 and said & {"sous", "sp", "prefecture", "pref"}:
            # Only when the cell says which kind: "Saint-Denis" alone stays ambiguous.
            wants_sub = bool(said & {"sous", "sp"})
            found = {pk for pk in found if self.refs[pk].is_sub == wants_sub} or found
        if not found:
            raise CellError("prefecture_unknown", value=text)
        if len(found) > 1:
            options = ", ".join(sorted(self.refs[pk].name for pk in found))
            raise CellError("prefecture_ambiguous", value=text, options=options)
        return next(iter(found))


# --- nationalities ------------------------------------------------------------------------------


@cache
def nationality_table() -> dict[str, str]:
    """Folded spelling -> ISO 3166-1 alpha-2 code, from data/nationalities.csv (editable data)."""
    table = {}
    with NATIONALITIES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["code"].strip().upper()
            table[code.lower()] = code
            for spelling in row["spellings"].split("|"):
                if words(spelling):
                    table[words(spelling)] = code
    return table


def parse_nationality(text: str) -> str:
    """ISO code for "Sénégalaise", "algerie", "TUNISIE", "Congolaise (RDC)"...; "" when empty."""
    text = (text or "").strip()
    if not text:
        return ""
    table = nationality_table()
    whole = words(text)
    if whole in table:
        return table[whole]
    outside = words(re.sub(r"\([^)]*\)", " ", text))
    if outside in table:
        return table[outside]
    # Plural and masculine forms the table may not list: "algeriens" -> "algerien".
    if whole.endswith("s") and whole[:-1] in table:
        return table[whole[:-1]]
    raise CellError("nationality_unknown", value=text)


# --- procedures and document kinds: ordered keyword rules on folded words -----------------------

PROCEDURE_RULES = (
    (ProcedureType.NATURALISATION_DECLARATION, ("naturalisation declaration", "declaration de nationalite")),
    (ProcedureType.NATURALISATION_DECREE, ("naturalisation", "naturalization", "nat decret")),
    (ProcedureType.REFUGEE_TRAVEL_DOCUMENT, ("titre de voyage", "tvr", "travel document")),
    (ProcedureType.DCEM, ("dcem", "document de circulation")),
    (ProcedureType.PROTECTION_CARD, ("protection internationale", "carte de protection", "refugie", "subsidiaire")),
    (ProcedureType.CHANGE_OF_STATUS, ("changement de statut", "chgt statut", "chgt de statut", "change of status")),
    (ProcedureType.CHANGE_OF_SITUATION, ("changement de situation", "changement d adresse", "change of situation")),
    (ProcedureType.DUPLICATE, ("duplicata", "duplicate", "perte", "vol du titre")),
    (ProcedureType.RENEWAL, ("renouv", "renew", "rnvt")),
    (
        ProcedureType.FIRST_APPLICATION,
        ("premiere demande", "1ere demande", "1re demande", "1er demande", "primo", "aes", "admission exceptionnelle",
         "first application"),
    ),
)  # fmt: skip
DOCUMENT_RULES = (
    (DocumentKind.ALGERIAN_CERTIFICATE, ("algerien", "certificat de residence")),
    (DocumentKind.VLS_TS, ("vls ts", "vlsts", "vls", "visa long sejour")),
    (DocumentKind.FILING_CERTIFICATE, ("attestation de depot",)),
    (DocumentKind.FAVOURABLE_DECISION, ("decision favorable",)),
    (DocumentKind.API, ("api", "attestation de prolongation")),
    (DocumentKind.RECEPISSE, ("recepisse",)),
    (DocumentKind.APS, ("aps", "autorisation provisoire")),
    (DocumentKind.RESIDENT_CARD, ("carte de resident", "resident", "cr 10 ans", "carte 10 ans")),
    (DocumentKind.MULTI_YEAR_CARD, ("csp", "pluriannuelle", "pluri annuelle", "multi year")),
    (DocumentKind.TEMPORARY_CARD, ("cst", "carte de sejour temporaire", "carte temporaire", "carte de sejour")),
)


@cache
def _compiled(rules) -> tuple:
    # Short keys are whole words ("aes", "api"); longer ones may start a word ("renouv").
    return tuple(
        (str(value), re.compile("|".join(rf" {re.escape(k)} " if len(k) <= 4 else rf" {re.escape(k)}" for k in keys)))
        for value, keys in rules
    )


@cache
def _exact(enum, language: str) -> dict[str, str]:
    """The enum's values and labels (in the active language) as folded words -> value."""
    exact = {}
    for value, label in enum.choices:
        exact[value.replace("_", " ")] = value
        exact[words(str(label))] = value
    return exact


def _by_rules(text: str, rules, enum) -> str | None:
    folded = words(text)
    if not folded:
        return None
    found = _exact(enum, get_language() or "")
    if folded in found:
        return found[folded]
    padded = f" {folded} "
    for value, pattern in _compiled(rules):
        if pattern.search(padded):
            return value
    return ""


def parse_procedure(text: str) -> str | None:
    """A ProcedureType value; None when empty; CellError when not recognised."""
    value = _by_rules(text, PROCEDURE_RULES, ProcedureType)
    if value == "":
        raise CellError("procedure_unknown", value=text.strip())
    return value


def parse_document_kind(text: str) -> tuple[str, int | None] | None:
    """(DocumentKind value, duration in years if written: "CSP 4 ans"); None when empty."""
    value = _by_rules(text, DOCUMENT_RULES, DocumentKind)
    if value == "":
        raise CellError("document_kind_unknown", value=text.strip())
    if value is None:
        return None
    years = re.search(r"\b(\d{1,2})\s*ans?\b", words(text))
    return value, (int(years.group(1)) if years else None)
