"""Synthetic people and cases for the demo (invented names, example.org addresses)."""

import datetime
import random

from django.utils import timezone

from accounts.models import Organisation, Team, User
from cases.enums import CaseStatus, DocumentKind, HarmKind, ProcedureType
from cases.models import Case, HarmEvent, Person, Prefecture, ResidenceDocument
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
# Other spellings as they appear on passports, ANEF and handwritten forms.
ALIAS_SPELLINGS = {"Mohamed": "Mohammed", "Youssef": "Yusuf", "Aïcha": "Aicha", "Benali": "Ben Ali", "Saïdi": "Saidi"}
NATIONALITIES = ["DZ", "MA", "TN", "SN", "ML", "CI", "GN", "CD", "KM", "CM"]
LANGUAGES = ["arabe, français", "français", "soninké, français", "lingala, français", "anglais", "peul, wolof"]
PREFECTURE_CODES = ["PREF-93", "PREF-94", "PREF-92", "PREF-34", "PREF-91", "PREF-95"]
BATCH = 2000

# One profile per urgency level (cycled), so every level shows in the demo: the days from today
# to the title's expiry, whether the renewal is on ANEF (deadline D-60) or on paper (deadline D-0).
PROFILES = [
    {"expiry": (-40, -5), "anef": False, "status": CaseStatus.ATTEMPTING},  # expired
    {"expiry": (1, 7), "anef": False, "status": CaseStatus.ATTEMPTING},  # <= 7 days
    {"expiry": (70, 90), "anef": True, "status": CaseStatus.ATTEMPTING},  # <= 30 days (D-60 on ANEF)
    {"expiry": (35, 60), "anef": False, "status": CaseStatus.WRITTEN_REQUEST_SENT},  # <= 60 days
    {"expiry": (150, 300), "anef": True, "status": CaseStatus.WINDOW_NOT_OPEN},  # later
    {"expiry": (10, 25), "anef": False, "status": CaseStatus.LODGED, "provisional": True},  # récépissé
    {"expiry": None, "anef": False, "status": CaseStatus.INTAKE},  # first application, no title yet
]
HARMS = [HarmKind.JOB_SUSPENDED, HarmKind.BENEFITS_SUSPENDED, HarmKind.JOB_CENTRE_DEREGISTRATION, HarmKind.HOUSING]


def _day(today, bounds, rng):
    return today + datetime.timedelta(days=rng.randint(*bounds))


def seed_cases(organisation: Organisation, *, persons: int = 40, seed: int = 2026) -> int:
    """Create up to `persons` synthetic people, each with one case. Idempotent (counts what exists).

    Rows are bulk-inserted in batches so `seed_demo --persons 100000` stays fast; the search key
    and the deadlines come from the same functions the services use.
    """
    existing = Person.objects.filter(organisation=organisation).count()
    if existing >= persons:
        return 0
    rng = random.Random(seed + existing)
    teams = list(Team.objects.filter(organisation=organisation).order_by("name"))
    caseworkers = {t.pk: list(User.objects.filter(memberships__team=t).order_by("pk")) for t in teams}
    prefectures = list(Prefecture.objects.filter(code__in=PREFECTURE_CODES).order_by("code"))
    today = timezone.localdate()
    for batch_start in range(existing, persons, BATCH):
        indexes = range(batch_start, min(persons, batch_start + BATCH))
        people, plans = [], []
        for index in indexes:
            team = teams[index % len(teams)]
            last_name, first_name = rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES)
            has_variant = last_name in ALIAS_SPELLINGS or first_name in ALIAS_SPELLINGS
            aliases = (
                f"{ALIAS_SPELLINGS.get(last_name, last_name)} {ALIAS_SPELLINGS.get(first_name, first_name)}"
                if has_variant
                else ""
            )
            profile = PROFILES[index % len(PROFILES)]
            young = profile["expiry"] is None
            birth = (
                today.replace(year=today.year - 19) + datetime.timedelta(days=rng.randint(5, 50))
                if young
                else datetime.date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
            )
            people.append(
                Person(
                    organisation=organisation,
                    team=team,
                    last_name=last_name,
                    first_name=first_name,
                    aliases=aliases,
                    search_key=search_key(last_name, first_name, aliases),
                    birth_date=birth,
                    nationality=rng.choice(NATIONALITIES),
                    languages=rng.choice(LANGUAGES),
                    phone=f"06 00 {index // 10000 % 100:02d} {index // 100 % 100:02d} {index % 100:02d}",
                    email=f"personne{index}@example.org" if rng.random() > 0.3 else "",
                    has_no_email=rng.random() > 0.85,
                    foreigner_number=f"99{index:08d}" if not young else "",
                    consent_at=today - datetime.timedelta(days=rng.randint(1, 300)),
                )
            )
            plans.append((team, profile))
        Person.objects.bulk_create(people, batch_size=BATCH)
        documents, cases = [], []
        for person, (team, profile) in zip(people, plans, strict=True):
            if profile["expiry"] is not None:
                expiry = _day(today, profile["expiry"], rng)
                kind = rng.choice([DocumentKind.TEMPORARY_CARD, DocumentKind.MULTI_YEAR_CARD])
                if profile.get("provisional"):
                    title_end = today - datetime.timedelta(days=rng.randint(60, 90))
                    documents.append(
                        ResidenceDocument(
                            person=person,
                            kind=kind,
                            valid_from=title_end - datetime.timedelta(days=365),
                            valid_until=title_end,
                            authorises_work=True,
                        )
                    )
                    kind = DocumentKind.RECEPISSE
                documents.append(
                    ResidenceDocument(
                        person=person,
                        kind=kind,
                        valid_from=expiry - datetime.timedelta(days=90 if kind == DocumentKind.RECEPISSE else 365),
                        valid_until=expiry,
                        authorises_work=True,
                    )
                )
            workers = caseworkers[team.pk]
            cases.append(
                Case(
                    person=person,
                    team=team,
                    assignee=workers[len(cases) % len(workers)] if workers else None,
                    procedure=ProcedureType.FIRST_APPLICATION if profile["expiry"] is None else ProcedureType.RENEWAL,
                    prefecture=rng.choice(prefectures),
                    uses_anef=profile["anef"],
                    status=profile["status"],
                    filing_date=today - datetime.timedelta(days=rng.randint(20, 60))
                    if profile["status"] == CaseStatus.LODGED
                    else None,
                )
            )
        ResidenceDocument.objects.bulk_create(documents, batch_size=BATCH)
        Case.objects.bulk_create(cases, batch_size=BATCH)
        harms = [
            HarmEvent(
                case=case,
                kind=rng.choice(HARMS),
                occurred_on=today - datetime.timedelta(days=rng.randint(1, 60)),
                note="Exemple fictif",
            )
            for case in cases
            if rng.random() < 0.25
        ]
        HarmEvent.objects.bulk_create(harms, batch_size=BATCH)
        deadlines_recompute([case.pk for case in cases])
    return persons - existing
