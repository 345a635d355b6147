"""Likely duplicates of the file's people: against the organisation's people and inside the file.

The rule is the product's one rule, `cases.duplicates` (same foreigner number, or same birth
date and a similar name after normalisation and transliteration). Here it is applied to many
rows at once: one query finds which birth dates and numbers of the file already exist in the
organisation, and the rule runs only for rows that share one (`find_duplicates_many`: one query
per chunk of 2,000 rows, never one per row), so a 10,000-row file into an organisation without
those people costs one query. Inside the file the same rule is
applied with the same building blocks (`canonical_names`, `names_match`).
"""

from collections import defaultdict

from django.db.models import Q

from cases.duplicates import find_duplicates_many, names_match
from cases.models import Person
from cases.names import canonical_names


def _reasons(row_person: dict, birth_date, number: str) -> list[str]:
    """Reason codes (shown in words by the pages): "number" and/or "birth_name"."""
    reasons = []
    if row_person.get("foreigner_number") and row_person["foreigner_number"] == number:
        reasons.append("number")
    if row_person.get("birth_date") and row_person["birth_date"] == birth_date:
        reasons.append("birth_name")
    return reasons


def existing_duplicates(organisation_id: int, rows) -> dict[int, list[dict]]:
    """line -> [{"person", "label", "birth_date", "team", "reasons"}] for people already in the organisation."""
    births = {row.person["birth_date"] for row in rows if row.person.get("birth_date")}
    numbers = {row.person["foreigner_number"] for row in rows if row.person.get("foreigner_number")}
    if not births and not numbers:
        return {}
    present = Person.objects.filter(organisation_id=organisation_id, deleted_at__isnull=True).filter(
        Q(birth_date__in=births) | Q(foreigner_number__in=numbers)
    )
    known_births, known_numbers = set(), set()
    for birth_date, number in present.values_list("birth_date", "foreigner_number"):
        known_births.add(birth_date)
        known_numbers.add(number)
    shared = [
        row
        for row in rows
        if row.person.get("birth_date") in known_births or row.person.get("foreigner_number") in known_numbers
    ]
    described = [
        {
            "last_name": row.person["last_name"],
            "first_name": row.person.get("first_name", ""),
            "birth_date": row.person.get("birth_date"),
            "foreigner_number": row.person.get("foreigner_number", ""),
        }
        for row in shared
    ]
    found = {}
    for row, matches in zip(
        shared, find_duplicates_many(organisation_id=organisation_id, people=described), strict=True
    ):
        person = row.person
        if matches:
            found[row.line] = [
                {
                    "person": match.person.pk,
                    "label": match.person.full_name,
                    "birth_date": match.person.birth_date.strftime("%d/%m/%Y") if match.person.birth_date else "",
                    "team": match.person.team.name,
                    "reasons": _reasons(person, match.person.birth_date, match.person.foreigner_number),
                }
                for match in matches
            ]
    return found


def in_file_duplicates(rows) -> dict[int, list[dict]]:
    """line -> earlier lines of the file that describe the same person (same rule as above)."""
    found = {}
    by_birth, by_number = defaultdict(list), defaultdict(list)
    for row in rows:
        person = row.person
        names = canonical_names(person["last_name"], person.get("first_name", ""), "")
        matches = {}
        for other, _names in by_number.get(person.get("foreigner_number") or None, ()):
            matches[other.line] = {"line": other.line, "reasons": ["number"]}
        for other, other_names in by_birth.get(person.get("birth_date"), ()):
            if names_match(names, other_names):
                entry = matches.setdefault(other.line, {"line": other.line, "reasons": []})
                entry["reasons"].append("birth_name")
        if matches:
            found[row.line] = sorted(matches.values(), key=lambda match: match["line"])
        if person.get("birth_date"):
            by_birth[person["birth_date"]].append((row, names))
        if person.get("foreigner_number"):
            by_number[person["foreigner_number"]].append((row, names))
    return found
