"""Name normalisation for search and duplicate detection (same code on SQLite and PostgreSQL).

People's names reach us through passports, ANEF and hurried handwriting: "Mohammed Ben Ali",
"MOHAMED BENALI", "Muhammad Benali" are one person. The database stores a normalised
`Person.search_key`; comparisons happen on these keys, never with database-specific collations.
"""

import re
import unicodedata

# Whole-name variants that simple spelling rules do not unify (after `_spelling`).
NAME_VARIANTS = {
    "muhamad": "mohamed",
    "mohamad": "mohamed",
    "muhamed": "mohamed",
    "mhamed": "mohamed",
    "mohamed": "mohamed",
    "iusuf": "iusef",
    "iucef": "iusef",
    "iusef": "iusef",
    "abdelkader": "abdelkader",
    "abdulkadir": "abdelkader",
    "abdelkadir": "abdelkader",
    "fatuma": "fatima",
    "fatma": "fatima",
    "aicha": "aisha",
    "aisa": "aisha",
}
# Spelling rules applied in order on a lower-case ASCII word.
SPELLING_RULES = (
    (re.compile(r"ou"), "u"),
    (re.compile(r"y"), "i"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"dj"), "j"),
    (re.compile(r"(.)\1+"), r"\1"),  # doubled letters: Mohammed -> Mohamed
)


def ascii_fold(text: str) -> str:
    """Lower case, accents removed (é -> e, ï -> i), ligatures split (œ -> oe)."""
    decomposed = unicodedata.normalize("NFKD", (text or "").replace("œ", "oe").replace("Œ", "OE"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def plain(text: str) -> str:
    """Accent- and case-folded words separated by single spaces ("Ben-Ali  Aïcha" -> "ben ali aicha")."""
    return " ".join(re.findall(r"[a-z0-9]+", ascii_fold(text)))


def _spelling(word: str) -> str:
    for pattern, replacement in SPELLING_RULES:
        word = pattern.sub(replacement, word)
    return NAME_VARIANTS.get(word, word)


def canonical(text: str) -> str:
    """One compact key per name: spaces, hyphens, apostrophes removed, transliterations unified.

    Words are canonicalised one by one (Mohammed -> mohamed) then glued, so "Ben Ali" and
    "Benali" give the same key.
    """
    return "".join(_spelling(word) for word in plain(text).split())


def name_forms(last_name: str, first_name: str, aliases: str) -> list[str]:
    """Every spelling of a person's full name, as typed: both orders, then each alias line."""
    forms = [f"{last_name} {first_name}", f"{first_name} {last_name}"]
    forms += [line for line in (aliases or "").splitlines() if line.strip()]
    return [form for form in forms if form.strip()]


def search_key(last_name: str, first_name: str, aliases: str) -> str:
    """The stored key: plain and canonical forms of every spelling, one per line."""
    keys = []
    for form in name_forms(last_name, first_name, aliases):
        for key in (plain(form), canonical(form)):
            if key and key not in keys:
                keys.append(key)
    return "\n".join(keys)


def canonical_names(last_name: str, first_name: str, aliases: str) -> set[str]:
    return {canonical(form) for form in name_forms(last_name, first_name, aliases)} - {""}
