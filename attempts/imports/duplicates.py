"""Likely duplicates of the file's people: against the organisation's people and inside the file.

One rule for the whole product lives in `cases.duplicates` (same foreigner number, or same birth
date and a similar normalised name). Here it is applied to many rows at once: one query finds
the people who share a birth date or a number with any row, and the rule runs only for rows
that have such a candidate, so a 10,000-row file into an empty organisation costs one query.
"""

import re
from collections import defaultdict

from attempts.imports.parsers import words
from cases.models import Person


def _names(person: dict) -> set[str]:
    last, first = person.get("last_name", ""), person.get("first_name", "")
    # Doubled letters collapsed: "Mohammed" and "Mohamed" are one spelling.
    forms = (words(f"{last} {first}"), words(f"{first} {last}"))
    return {re.sub(r"(.)\1+", r"\1", form.replace(" ", "")) for form in forms} - {""}


def _same_person(a: dict, b: dict) -> list[str]:
    reasons = []
    if a.get("foreigner_number") and a.get("foreigner_number") == b.get("foreigner_number"):
        reasons.append("number")
    if a.get("birth_date") and a.get("birth_date") == b.get("birth_date") and _names(a) & _names(b):
        reasons.append("birth_name")
    return reasons


def existing_duplicates(organisation_id: int, rows) -> dict[int, list[dict]]:
    """line -> [{"person": pk, "label": ..., "reasons": [...]}] for people already in the organisation."""
    births = {row.person["birth_date"] for row in rows if row.person.get("birth_date")}
    numbers = {row.person["foreigner_number"] for row in rows if row.person.get("foreigner_number")}
    if not births and not numbers:
        return {}
    candidates = Person.objects.filter(organisation_id=organisation_id, deleted_at__isnull=True).filter(
        birth_date__in=births
    ) | Person.objects.filter(organisation_id=organisation_id, deleted_at__isnull=True, foreigner_number__in=numbers)
    by_key = defaultdict(list)
    for person in candidates.select_related("team").order_by("pk"):
        by_key[("birth", person.birth_date)].append(person)
        if person.foreigner_number:
            by_key[("number", person.foreigner_number)].append(person)
    found = {}
    for row in rows:
        seen = {}
        for key in (("birth", row.person.get("birth_date")), ("number", row.person.get("foreigner_number"))):
            for person in by_key.get(key, ()):
                other = {
                    "last_name": person.last_name,
                    "first_name": person.first_name,
                    "birth_date": person.birth_date,
                    "foreigner_number": person.foreigner_number,
                }
                reasons = _same_person(row.person, other)
                if reasons and person.pk not in seen:
                    seen[person.pk] = {
                        "person": person.pk,
                        "label": person.full_name,
                        "birth_date": person.birth_date.strftime("%d/%m/%Y") if person.birth_date else "",
                        "team": person.team.name,
                        "reasons": reasons,
                    }
        if seen:
            found[row.line] = list(seen.values())
    return found


def in_file_duplicates(rows) -> dict[int, list[dict]]:
    """line -> earlier lines of the file that describe the same person."""
    found = {}
    groups = defaultdict(list)
    for row in rows:
        keys = [("birth", row.person.get("birth_date")), ("number", row.person.get("foreigner_number"))]
        matches = {}
        for key in keys:
            if not key[1]:
                continue
            for other in groups[key]:
                reasons = _same_person(row.person, other.person)
                if reasons:
                    matches.setdefault(other.line, {"line": other.line, "reasons": reasons})
            groups[key].append(row)
        if matches:
            found[row.line] = sorted(matches.values(), key=lambda m: m["line"])
    return found
