"""DOMAIN.md's deadline table and suggested alerts: version 1 of each rule (loaded by migration 0004).

Admins change rules in the Django admin (each change adds a version); this file only seeds them.
"""

import datetime

# The recodified CESEDA (R.431-4, R.431-5...) is in force since 1 May 2021.
CESEDA_2021 = datetime.date(2021, 5, 1)
NOT_NATURALISATION = [
    "first_application",
    "renewal",
    "change_of_status",
    "duplicate",
    "change_of_situation",
    "dcem",
    "refugee_travel_document",
    "protection_card",
]

RULES = [
    {
        "code": "renewal-prepare",
        "label": "Préparer le dossier de renouvellement (J-150)",
        "anchor": "title_expiry",
        "offset_days": -150,
        "procedures": ["renewal"],
        "is_deadline": False,
        "until_filed": True,
        "source": "Rappel proposé par Plage libre (alertes suggérées)",
        "tag": "default",
    },
    {
        "code": "renewal-anef-window-opens",
        "label": "Ouverture de la période de renouvellement sur l'ANEF (J-120)",
        "anchor": "title_expiry",
        "offset_days": -120,
        "procedures": ["renewal"],
        "anef": "anef",
        "is_deadline": False,
        "until_filed": True,
        "source": "CESEDA art. R.431-5 1°",
        "tag": "text",
    },
    {
        "code": "renewal-escalate",
        "label": "Toujours sans rendez-vous : passer à la demande écrite (J-90)",
        "anchor": "title_expiry",
        "offset_days": -90,
        "procedures": ["renewal"],
        "anef": "anef",
        "is_deadline": False,
        "until_filed": True,
        "source": "Rappel proposé par Plage libre (alertes suggérées)",
        "tag": "default",
    },
    {
        "code": "renewal-anef-window-closes",
        "label": "Dernier jour pour demander le renouvellement sur l'ANEF (J-60)",
        "anchor": "title_expiry",
        "offset_days": -60,
        "procedures": ["renewal"],
        "anef": "anef",
        "until_filed": True,
        "source": "CESEDA art. R.431-5 1°",
        "tag": "text",
    },
    {
        "code": "renewal-window-opens",
        "label": "Ouverture de la période de renouvellement (2 mois avant l'expiration)",
        "anchor": "title_expiry",
        "offset_months": -2,
        "procedures": ["renewal"],
        "anef": "not_anef",
        "is_deadline": False,
        "until_filed": True,
        "source": "CESEDA art. R.431-5",
        "tag": "text",
    },
    {
        "code": "title-expiry",
        "label": "Expiration du titre de séjour (droits menacés)",
        "anchor": "title_expiry",
        "source": "Date de fin de validité du titre ; CESEDA art. R.431-5",
        "tag": "text",
    },
    {
        "code": "job-centre-deregistration",
        "label": "Radiation de France Travail (lendemain de l'expiration)",
        "anchor": "title_expiry",
        "offset_days": 1,
        "is_deadline": False,
        "source": "France Travail",
        "tag": "text",
    },
    {
        "code": "recepisse-renewal-end",
        "label": "Fin du récépissé de renouvellement (3 mois à compter du lendemain de l'expiration)",
        "anchor": "title_expiry",
        "offset_days": 1,
        "offset_months": 3,
        "procedures": ["renewal"],
        "anef": "not_anef",
        "is_deadline": False,
        "source": "CESEDA art. R.431-12 et suivants ; service-public.fr F15763",
        "tag": "text",
    },
    {
        "code": "grace-resident-card",
        "label": "Fin du maintien des droits après expiration (titre long, 3 mois)",
        "anchor": "title_expiry",
        "offset_months": 3,
        "document_kinds": ["resident_card"],
        "source": "CESEDA art. L.433-3",
        "tag": "text",
    },
    {
        "code": "grace-multi-year-card",
        "label": "Fin du maintien des droits après expiration (titre long, 3 mois)",
        "anchor": "title_expiry",
        "offset_months": 3,
        "document_kinds": ["multi_year_card"],
        "min_document_years": 4,
        "source": "CESEDA art. L.433-3 (carte pluriannuelle de 4 ans)",
        "tag": "text",
    },
    {
        "code": "grace-treaty-title",
        "label": "Fin du maintien des droits après expiration (titre long, 3 mois)",
        "anchor": "title_expiry",
        "offset_months": 3,
        "document_kinds": ["algerian_certificate"],
        "min_document_years": 2,
        "source": "CESEDA art. L.433-3 (titre prévu par un accord international, plus d'un an)",
        "tag": "text",
    },
    {
        "code": "provisional-expiry",
        "label": "Expiration du document provisoire (récépissé, API, APS)",
        "anchor": "provisional_expiry",
        "source": "CESEDA art. R.431-12, R.431-15-1, R.431-15-2",
        "tag": "text",
    },
    {
        "code": "provisional-renew",
        "label": "Demander le renouvellement du document provisoire (J-20)",
        "anchor": "provisional_expiry",
        "offset_days": -20,
        "is_deadline": False,
        "source": "Rappel proposé par Plage libre (alertes suggérées)",
        "tag": "default",
    },
    {
        "code": "first-recepisse-end",
        "label": "Fin prévisible du premier récépissé (4 mois après le dépôt)",
        "anchor": "filing_date",
        "offset_months": 4,
        "procedures": ["first_application"],
        "anef": "not_anef",
        "is_deadline": False,
        "source": "service-public.fr F15763 (récépissé de 4 ou 6 mois)",
        "tag": "text",
    },
    {
        "code": "implicit-rejection",
        "label": "Rejet implicite (4 mois sans réponse après le dépôt)",
        "anchor": "filing_date",
        "offset_months": 4,
        "procedures": NOT_NATURALISATION,
        "source": "CESEDA art. R.432-1, R.432-2 ; CE, avis, 6 mai 2025, n° 499904",
        "tag": "text",
    },
    {
        "code": "first-entry",
        "label": "Dernier jour pour déposer : 2 mois après l'entrée en France",
        "anchor": "entry_date",
        "offset_months": 2,
        "procedures": ["first_application"],
        "until_filed": True,
        "hide_after_days": 365,
        "source": "CESEDA art. R.431-4",
        "tag": "text",
    },
    {
        "code": "age-19-eve",
        "label": "Dernier jour pour déposer : veille des 19 ans",
        "anchor": "birth_date",
        "offset_days": -1,
        "offset_months": 19 * 12,
        "procedures": ["first_application"],
        "until_filed": True,
        "hide_after_days": 365,
        "source": "CESEDA art. R.431-5 2° et 3°",
        "tag": "text",
    },
    {
        "code": "age-18-plus-2-months",
        "label": "Dernier jour pour déposer : 2 mois après les 18 ans",
        "anchor": "birth_date",
        "offset_months": 18 * 12 + 2,
        "procedures": ["first_application"],
        "until_filed": True,
        "hide_after_days": 365,
        "source": "CESEDA art. R.431-5 2° et 3°",
        "tag": "text",
    },
]


def load_deadline_rules(rule_model) -> int:
    """Create the rules whose code is not there yet (idempotent; never touches existing versions)."""
    existing = set(rule_model.objects.values_list("code", flat=True))
    created = 0
    for row in RULES:
        if row["code"] not in existing:
            rule_model.objects.create(version=1, valid_from=CESEDA_2021, **row)
            created += 1
    return created
