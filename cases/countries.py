"""Countries for a person's nationality: ISO 3166-1 alpha-2 codes with their French short names.

The list is data (`data/countries.csv`, one `code,name` row per country, names as the French
administration writes them), read once per process. It holds the 249 ISO codes plus XK (Kosovo):
not assigned by ISO, but used by the EU and the French administration, and a frequent nationality
in the associations' files. People are stored with the code; pages and exports show the name.
"""

import csv
import unicodedata
from functools import cache
from pathlib import Path

COUNTRIES_CSV = Path(__file__).resolve().parent / "data" / "countries.csv"


def sort_key(name: str) -> str:
    """French-ish alphabetical order without ICU: accents ignored ("Égypte" among the E), case folded."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@cache
def countries() -> dict[str, str]:
    """{code: French name}, in the file's order."""
    with COUNTRIES_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["code"].strip().upper(): row["name"].strip() for row in csv.DictReader(handle)}


@cache
def country_choices() -> tuple[tuple[str, str], ...]:
    """(code, name) pairs sorted by name for a select."""
    return tuple(sorted(countries().items(), key=lambda item: (sort_key(item[1]), item[0])))


def is_country(code: str) -> bool:
    return (code or "").upper() in countries()


def nationality_label(code: str | None) -> str:
    """French name of a code; an unknown code (older data) is shown as stored, nothing as ""."""
    if not code:
        return ""
    return countries().get(code.upper(), code)
