"""The spreadsheet a permanence keeps by hand (one row per person), for the import benchmark.

Headers and cell formats as found in the field: French headers, dd/mm/yyyy dates, a prefecture
written as its city or "département (number)", attempts as "dd/mm/yyyy hh:mm" separated by ";".
The rows land in a team of their own, removed after the run so the data set stays as generated.
"""

import datetime
import random
from pathlib import Path

from django.utils import timezone
from openpyxl import Workbook

from accounts.models import Organisation, Team
from attempts.imports.models import ImportBatch
from attempts.models import Attempt
from bench.names import FIRST_NAMES, LAST_NAMES, NATIONALITIES
from cases.models import Case, Person

TEAM_NAME = "Permanence import (banc d'essai)"
HEADERS = [
    "NOM",
    "Prénom",
    "Né(e) le",
    "Nationalité",
    "Téléphone",
    "N° étranger",
    "Préfecture",
    "Démarche",
    "Titre actuel",
    "Expiration titre",
    "Tentatives RDV",
    "Remarques",
]
PREFECTURES = ["Bobigny", "Créteil", "Seine-Saint-Denis (93)", "Val-de-Marne", "Nanterre", "Lyon", "Essonne (91)"]
PROCEDURES = ["Renouvellement", "Première demande", "Changement de statut", "Duplicata", "Naturalisation"]
TITLES = ["Carte de séjour temporaire", "Carte pluriannuelle", "VLS-TS", "Récépissé", ""]


def import_team() -> Team:
    smallest = min(Organisation.objects.all(), key=lambda org: org.teams.count())
    team, _created = Team.objects.get_or_create(organisation=smallest, name=TEAM_NAME)
    return team


def cleanup_import_team(team: Team) -> dict:
    """Remove what an import created in the benchmark's team; returns what there was."""
    cases = Case.objects.filter(team=team)
    found = {
        "persons_created": Person.objects.filter(team=team).count(),
        "cases_created": cases.count(),
        "attempts_created": Attempt.objects.filter(case__team=team).count(),
    }
    Attempt.objects.filter(case__team=team).delete()
    cases.delete()
    Person.objects.filter(team=team).delete()
    ImportBatch.objects.filter(team=team).delete()
    return found


def write_spreadsheet(path: Path, rows: int, *, seed: int = 7) -> Path:
    rng = random.Random(seed)
    today = timezone.localdate()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Suivi")
    sheet.append(HEADERS)
    for n in range(rows):
        birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 40))
        expiry = today + datetime.timedelta(days=rng.randint(-200, 400))
        attempts = []
        for _ in range(rng.choice((0, 0, 3, 5, 8, 12))):
            day = today - datetime.timedelta(days=rng.randint(1, 120))
            attempts.append(f"{day:%d/%m/%Y} {rng.randint(7, 22):02d}:{rng.randrange(60):02d}")
        sheet.append(
            [
                f"{rng.choice(LAST_NAMES)}-{n}",  # distinct people: this measures an import, not duplicate review
                rng.choice(FIRST_NAMES),
                birth.strftime("%d/%m/%Y"),
                rng.choice(NATIONALITIES),
                f"06 {rng.randrange(10**8):08d}",
                "",
                rng.choice(PREFECTURES),
                rng.choice(PROCEDURES),
                (title := rng.choice(TITLES)),
                expiry.strftime("%d/%m/%Y") if title else "",
                " ; ".join(attempts),
                "ligne importée (banc d'essai)" if n % 10 == 0 else "",
            ]
        )
    book.save(path)
    return path
