"""The plain-French wording of each readiness condition.

An evaluation stores conditions as (code, met, params) so that the text is rendered in the reader's
language at display time (page, PDF, tests all go through `Condition.text`). Params hold numbers and
dates already computed from the data, never ages that change with the calendar, so an unchanged
case keeps an unchanged fingerprint from one night to the next.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attempts.enums import Channel
from cases.enums import HarmKind, ProcedureType

REFERE = "refere"
REFERRAL = "referral"

MET_MARK = "✓"
MISSING_MARK = "✗"

# code: (label, hint shown when the condition is missing; None when there is nothing to do)
TEXTS = {
    "span": (
        gettext_lazy("Tentatives étalées sur %(value)s jours (%(required)s requis)"),
        gettext_lazy("continuer les tentatives au moins jusqu'au %(until)s"),
    ),
    "weeks": (
        gettext_lazy("Tentatives sur %(value)s semaines distinctes (%(required)s requises)"),
        gettext_lazy("essayer au moins une fois chaque semaine"),
    ),
    "days": (
        gettext_lazy("Tentatives sur %(value)s jours différents (%(required)s requis)"),
        gettext_lazy("essayer d'autres jours, à des heures variées"),
    ),
    "bands": (
        gettext_lazy("Tentatives à %(value)s moments de la journée (%(required)s requis)"),
        gettext_lazy(
            "varier les heures : avant %(morning_end)s h, entre %(morning_end)s h et %(evening_start)s h, "
            "après %(evening_start)s h"
        ),
    ),
    "evidence": (
        gettext_lazy("Preuve horodatée pour %(value)s tentatives sur %(count)s (toutes requises)"),
        gettext_lazy(
            "joindre à chaque tentative une capture montrant l'adresse, la date et l'heure "
            "(les tentatives importées sans preuve ne comptent pas)"
        ),
    ),
    "no_attempts": (
        gettext_lazy("Aucune tentative de prise de rendez-vous enregistrée"),
        gettext_lazy("enregistrer chaque tentative avec sa capture d'écran"),
    ),
    "written_none": (
        gettext_lazy("Aucune demande écrite à la préfecture"),
        gettext_lazy("envoyer un courriel ou une LRAR"),
    ),
    "written_recent": (
        gettext_lazy("Demande écrite du %(date)s : %(required)s jours sans réponse utile requis"),
        gettext_lazy("attendre le %(until)s, puis relancer si besoin"),
    ),
    "written_ok": (
        gettext_lazy("Demande écrite du %(date)s restée sans réponse utile (%(required)s jours requis)"),
        None,
    ),
    "written_count": (
        gettext_lazy("%(value)s demandes écrites sans réponse utile depuis %(age)s jours (%(required)s requises)"),
        gettext_lazy("envoyer une nouvelle demande écrite (courriel ou LRAR)"),
    ),
    "not_booked": (
        gettext_lazy("Aucun rendez-vous obtenu"),
        None,
    ),
    "booked": (
        gettext_lazy("Rendez-vous obtenu le %(date)s"),
        gettext_lazy("pas de référé tant que ce rendez-vous tient ; noter une nouvelle tentative s'il est annulé"),
    ),
    "anef": (
        gettext_lazy(
            "Démarche ANEF : tentatives auprès du centre de contact (CCC) et d'un point d'accueil numérique (PAN)"
        ),
        gettext_lazy("manque : %(missing)s ; les contacter et enregistrer ces tentatives"),
    ),
    "urgency_presumed": (gettext_lazy("Urgence présumée : %(procedure)s"), None),
    "urgency_harm": (gettext_lazy("Urgence : préjudice enregistré (%(harms)s)"), None),
    "urgency_missing": (
        gettext_lazy("Urgence non établie : %(procedure)s sans préjudice enregistré"),
        gettext_lazy(
            "à examiner par un·e avocat·e ; enregistrer tout préjudice (emploi, prestations, échéance liée à l'âge)"
        ),
    ),
    "no_oqtf": (gettext_lazy("Pas d'OQTF non exécutée"), None),
    "oqtf": (
        gettext_lazy("OQTF non exécutée"),
        gettext_lazy("l'urgence n'est en principe pas reconnue : à examiner par un·e avocat·e avant toute démarche"),
    ),
    "referral_tried": (
        gettext_lazy("Démarches auprès de la préfecture prouvées (%(count)s tentatives)"),
        gettext_lazy("le Défenseur des droits demande d'abord d'avoir tenté auprès de la préfecture"),
    ),
    "referral_written": (
        gettext_lazy("Demande écrite sans réponse depuis au moins %(required)s jours"),
        None,
    ),
    "referral_provisional": (
        gettext_lazy("Récépissé ou API manquant ou en retard après le dépôt"),
        None,
    ),
    "referral_harm": (gettext_lazy("Préjudice enregistré"), None),
    "referral_anef_error": (gettext_lazy("Erreur technique de l'ANEF enregistrée (%(value)s fois)"), None),
}


def _labels(choices, codes):
    names = dict(choices)
    return ", ".join(str(names.get(code, code)) for code in codes)


def _display_params(code, params):
    """Turn stored codes (procedure, harms, channels) into words in the current language."""
    shown = dict(params)
    if "procedure" in shown:
        shown["procedure"] = str(dict(ProcedureType.choices).get(shown["procedure"], shown["procedure"])).lower()
    if "harms" in shown:
        shown["harms"] = _labels(HarmKind.choices, shown["harms"]).lower()
    if "missing" in shown:
        shown["missing"] = _labels(Channel.choices, shown["missing"])
    return shown


@dataclass(frozen=True)
class Condition:
    code: str
    group: str
    met: bool
    params: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(TEXTS[self.code][0]) % _display_params(self.code, self.params)

    @property
    def hint(self) -> str:
        template = TEXTS[self.code][1]
        if self.met or template is None:
            return ""
        return str(template) % _display_params(self.code, self.params)

    @property
    def text(self) -> str:
        """ "Tentatives sur 4 semaines distinctes (3 requises) ✓" or "… ✗ : what to do"."""
        if self.met:
            return f"{self.label} {MET_MARK}"
        hint = self.hint
        return f"{self.label} {MISSING_MARK}" + (_(" : %(hint)s") % {"hint": hint} if hint else "")

    def as_json(self) -> dict:
        return {"code": self.code, "group": self.group, "met": self.met, "params": self.params}

    @classmethod
    def from_json(cls, data: dict) -> "Condition":
        return cls(code=data["code"], group=data["group"], met=data["met"], params=data.get("params", {}))
