"""Synthetic people and cases for the demo (invented names, example.org addresses)."""

import datetime
import random

from django.utils import timezone

from accounts.models import Organisation, Team, User
from cases.enums import CaseStatus, DocumentKind, ProcedureType
from cases.models import Case, Person, Prefecture, ResidenceDocument
from cases.names import search_key
from cases.services import deadlines_recompute

LAST_NAMES = [
    "Diallo",
    "Traoré",
    "Mbemba",
    "Haddad",
    "Benali",
    "Nguyen",
    "Kaba",
    "Saïdi",
    "Zerrouki",
    "Mansouri",
    "Koné",
    "Touré",
    "El Amrani",
    "Belkacem",
    "Chafroud",
    "Abdallah",
    "Camara",
    "Sissoko",
    "Ouattara",
    "Fofana",
]
FIRST_NAMES = [
    "Aïcha",
    "Mohamed",
    "Sarah",
    "Youssef",
    "Oumar",
    "Nour",
    "Amina",
    "Tarek",
    "Bilal",
    "Chancelvie",
    "Kandé",
    "Rym",
    "Hawa",
    "Mamadou",
    "Ibrahim",
    "Houcine",
    "Karima",
    "Sékou",
    "Fatoumata",
    "Moussa",
]
NATIONALITIES = ["DZ", "MA", "TN", "SN", "ML", "CI", "GN", "CD", "KM", "CM"]
PREFECTURE_CODES = ["PREF-93", "PREF-94", "PREF-92", "PREF-34", "PREF-91", "PREF-95"]


def seed_cases(organisation: Organisation, *, persons: int = 40, seed: int = 2026) -> int:
    """Create up to `persons` synthetic people, each with one case. Idempotent (counts what exists)."""
    existing = Person.objects.filter(organisation=organisation).count()
    if existing >= persons:
        return 0
    rng = random.Random(seed + existing)
    teams = list(Team.objects.filter(organisation=organisation).order_by("name"))
    caseworkers = {t.pk: list(User.objects.filter(memberships__team=t)) for t in teams}
    prefectures = list(Prefecture.objects.filter(code__in=PREFECTURE_CODES))
    today = timezone.localdate()
    for index in range(existing, persons):
        team = teams[index % len(teams)]
        person = Person.objects.create(
            organisation=organisation,
            team=team,
            last_name=rng.choice(LAST_NAMES),
            first_name=rng.choice(FIRST_NAMES),
            birth_date=datetime.date(rng.randint(1960, 2007), rng.randint(1, 12), rng.randint(1, 28)),
            nationality=rng.choice(NATIONALITIES),
            phone=f"06 00 00 {index // 100 % 100:02d} {index % 100:02d}",
            email=f"personne{index}@example.org" if rng.random() > 0.3 else "",
            consent_at=today - datetime.timedelta(days=rng.randint(1, 300)),
        )
        person.search_key = search_key(person.last_name, person.first_name, person.aliases)
        person.save(update_fields=["search_key"])
        # Expiry dates spread from already expired to far away, so every urgency level shows.
        expiry = today + datetime.timedelta(days=rng.randint(-40, 200))
        ResidenceDocument.objects.create(
            person=person,
            kind=rng.choice([DocumentKind.TEMPORARY_CARD, DocumentKind.MULTI_YEAR_CARD, DocumentKind.RECEPISSE]),
            valid_from=expiry - datetime.timedelta(days=365),
            valid_until=expiry,
            authorises_work=True,
        )
        Case.objects.create(
            person=person,
            team=team,
            assignee=rng.choice(caseworkers[team.pk]) if caseworkers[team.pk] else None,
            procedure=rng.choice([ProcedureType.RENEWAL, ProcedureType.RENEWAL, ProcedureType.FIRST_APPLICATION]),
            prefecture=rng.choice(prefectures),
            status=rng.choice([CaseStatus.INTAKE, CaseStatus.ATTEMPTING, CaseStatus.ATTEMPTING]),
        )
    deadlines_recompute(Case.objects.filter(team__organisation=organisation).values_list("pk", flat=True))
    return persons - existing
