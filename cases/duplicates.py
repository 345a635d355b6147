"""Likely duplicates of a person: the one rule, used by case creation, the import and the merge page.

A likely duplicate, within one organisation, is a (not deleted) person with
- the same foreigner number, or
- the same birth date and a similar name: equal after removing accents, spaces, hyphens and
  apostrophes and unifying common transliterations (see cases.names), in either name order or
  through an alias, or one typo apart on the whole name.
Candidates are narrowed in the database by exact birth date / number (portable SQL), names are
compared in Python on the normalised keys, so SQLite and PostgreSQL give the same answer.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models import Person
from cases.names import canonical_names
from cases.validators import normalise_foreigner_number

# Below this length a one-letter difference is too likely to be another person ("Kane"/"Kone").
TYPO_MIN_LENGTH = 8


@dataclass(frozen=True)
class Duplicate:
    person: Person
    reasons: tuple[str, ...]


def _one_edit_apart(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = j = edits = 0
    while i < len(a) and j < len(b):
        if a[i] != b[j]:
            edits += 1
            if edits > 1:
                return False
            if len(a) == len(b):
                i += 1
            j += 1
        else:
            i += 1
            j += 1
    return edits + (len(b) - j) + (len(a) - i) <= 1


def names_match(ours: set[str], theirs: set[str]) -> bool:
    if ours & theirs:
        return True
    return any(min(len(a), len(b)) >= TYPO_MIN_LENGTH and _one_edit_apart(a, b) for a in ours for b in theirs)


def find_duplicates(
    *,
    organisation_id: int,
    last_name: str,
    first_name: str = "",
    birth_date: datetime.date | None = None,
    foreigner_number: str = "",
    aliases: str = "",
    exclude_pk: int | None = None,
    queryset=None,
) -> list[Duplicate]:
    """People of the organisation who are probably the one described. `queryset` narrows further."""
    number = normalise_foreigner_number(foreigner_number)
    condition = Q()
    if birth_date is not None:
        condition |= Q(birth_date=birth_date)
    if number:
        condition |= Q(foreigner_number=number)
    if not condition:
        return []
    candidates = (queryset if queryset is not None else Person.objects.all()).filter(
        condition, organisation_id=organisation_id, deleted_at__isnull=True
    )
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    ours = canonical_names(last_name, first_name, aliases)
    found = []
    for person in candidates.select_related("team").order_by("last_name", "first_name", "pk"):
        reasons = _reasons(person, ours=ours, number=number, birth_date=birth_date)
        if reasons:
            found.append(Duplicate(person=person, reasons=reasons))
    return found


def _reasons(person: Person, *, ours: set[str], number: str, birth_date) -> tuple[str, ...]:
    reasons = []
    if number and person.foreigner_number == number:
        reasons.append(str(_("même numéro étranger")))
    if (
        birth_date is not None
        and person.birth_date == birth_date
        and names_match(ours, canonical_names(person.last_name, person.first_name, person.aliases))
    ):
        reasons.append(str(_("même date de naissance et nom proche")))
    return tuple(reasons)


def find_duplicates_many(*, organisation_id: int, people: list[dict], chunk_size: int = 2000) -> list[list[Duplicate]]:
    """`find_duplicates` for many descriptions at once (the import): the same rule, one query per
    chunk of birth dates and numbers instead of one per person. `people` holds dicts with the
    keyword arguments of find_duplicates; the answer is in the same order.
    """
    wanted = []
    for entry in people:
        number = normalise_foreigner_number(entry.get("foreigner_number", ""))
        wanted.append((entry, number, entry.get("birth_date")))
    births = sorted({birth for _e, _n, birth in wanted if birth is not None})
    numbers = sorted({number for _e, number, _b in wanted if number})
    by_birth, by_number = {}, {}
    base = Person.objects.filter(organisation_id=organisation_id, deleted_at__isnull=True).select_related("team")
    for start in range(0, max(len(births), len(numbers)), chunk_size):
        condition = Q(birth_date__in=births[start : start + chunk_size]) | Q(
            foreigner_number__in=numbers[start : start + chunk_size]
        )
        for person in base.filter(condition):
            by_birth.setdefault(person.birth_date, {})[person.pk] = person
            if person.foreigner_number:
                by_number.setdefault(person.foreigner_number, {})[person.pk] = person
    results = []
    for entry, number, birth_date in wanted:
        candidates = {**by_birth.get(birth_date, {}), **(by_number.get(number, {}) if number else {})}
        ours = canonical_names(entry["last_name"], entry.get("first_name", ""), entry.get("aliases", ""))
        found = []
        for person in sorted(candidates.values(), key=lambda p: (p.last_name, p.first_name, p.pk)):
            reasons = _reasons(person, ours=ours, number=number, birth_date=birth_date)
            if reasons:
                found.append(Duplicate(person=person, reasons=reasons))
        results.append(found)
    return results
