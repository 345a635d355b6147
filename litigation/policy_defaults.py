"""Sources of the shared default readiness policy (DOMAIN.md); used by its data migration and to
recreate it on a database that lost it (a flushed test database).
"""

DEFAULT_CHANGE_NOTE = "Règle par défaut (DOMAIN.md)"

DEFAULT_SOURCES = {
    "min_span_days_source": (
        "[jurisprudence] Référés accordés sur des courriels et captures étalés sur au moins trois semaines "
        "(TA Cergy 2 nov. 2020 ; TA Paris 3 nov. 2020) ; rejet pour 4 captures, 1 LRAR et 1 courriel sur 5 jours "
        "(sept. 2019). Valeur par défaut à faire valider par un·e juriste."
    ),
    "min_iso_weeks_source": (
        "[texte] CE 10 juin 2020 n°435594, repris par CE 9 juin 2022 n°453391 : « plusieurs tentatives n'ayant pas "
        "été effectuées la même semaine »."
    ),
    "min_distinct_days_source": (
        "[pratique] Réessayer chaque jour (note GISTI / La Cimade 2019). Valeur par défaut proposée, à faire "
        "valider par un·e juriste."
    ),
    "min_time_bands_source": (
        "[pratique] Réessayer à des heures variées (matin, midi, soir), heure de Paris. Valeur par défaut proposée."
    ),
    "evidence_on_every_attempt_source": (
        "[pratique] Les captures doivent montrer l'adresse, la date et l'heure ; les captures de téléphone sans ces "
        "mentions ont été écartées. CE 21 avril 2021 n°448178 : captures anonymes recevables. Les tentatives "
        "importées sans fichier ne comptent pas comme prouvées."
    ),
    "written_request_source": (
        "[pratique] Une demande écrite préalable (courriel puis LRAR) n'est pas une condition légale mais figure "
        "dans presque tous les dossiers accueillis. Délai de 8 jours : valeur par défaut proposée."
    ),
    "urgency_source": (
        "[texte] Urgence présumée pour un renouvellement ; sinon « circonstances particulières » à établir (perte "
        "d'emploi, échéance liée à l'âge, prestations suspendues). Sans elles : examen par un·e avocat·e."
    ),
    "oqtf_source": "[texte] Urgence non retenue lorsqu'une OQTF n'a pas été exécutée : examen par un·e avocat·e.",
    "anef_help_channels_source": (
        "[pratique] Démarches ANEF : tenter aussi le centre de contact citoyen (CCC) et un point d'accueil "
        "numérique (PAN) avant le juge. Valeur par défaut proposée."
    ),
    "referral_written_request_source": (
        "[défaut] Demande écrite sans réponse depuis 30 jours. Défenseur des droits, décision 2020-142 et avis "
        "21-03. La saisine ne suspend aucun délai et ne remplace pas un référé."
    ),
    "referral_provisional_document_source": (
        "[texte] Récépissé ou API dus pendant l'instruction (CESEDA R.431-12 et s., R.431-15-1) ; leur absence ou "
        "leur retard peut être signalé au Défenseur des droits."
    ),
    "referral_recorded_harm_source": (
        "[défaut] Un préjudice enregistré (emploi, prestations, logement) justifie la saisine."
    ),
    "referral_anef_technical_error_source": (
        "[défaut] Une erreur technique de l'ANEF (dysfonctionnement systémique) justifie la saisine."
    ),
}
