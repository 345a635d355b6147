"""Problems found in a cell, as codes with parameters; their French text is chosen at display time.

Previews are stored (JSON on the ImportBatch) and may be read in another language than the one
they were computed in, so only the code and the raw values are kept.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # Errors: the row is not imported.
    "name_missing": _("Nom manquant."),
    "not_a_date": _("« %(value)s » n'est pas une date."),
    "date_impossible": _("Date impossible : le %(value)s n'existe pas."),
    "date_implausible": _("Date peu plausible (%(value)s) : vérifiez l'année."),
    "birth_in_future": _("Date de naissance dans le futur (%(value)s)."),
    "prefecture_missing": _("Préfecture manquante : un dossier se rattache à une préfecture."),
    "prefecture_unknown": _("Préfecture inconnue : « %(value)s »."),
    "prefecture_ambiguous": _("Préfecture ambiguë : « %(value)s » peut désigner %(options)s."),
    "procedure_missing": _("Démarche manquante."),
    "procedure_unknown": _("Démarche non reconnue : « %(value)s »."),
    "attempt_unreadable": _("Tentative illisible : « %(value)s » (attendu : 17/08/2026 10h00)."),
    "attempt_without_time": _("Heure manquante pour la tentative du %(value)s."),
    "attempt_impossible_time": _("Heure impossible : « %(value)s »."),
    "attempt_in_future": _("Tentative dans le futur : %(value)s."),
    "validity_order": _("La fin de validité (%(until)s) précède le début (%(since)s)."),
    "too_long": _("Texte trop long (%(max)s caractères au plus)."),
    # Warnings: the row is imported, the cell's text is kept in the case notes.
    "email_invalid": _("Adresse e-mail non reconnue : « %(value)s » (gardée dans les notes)."),
    "nationality_unknown": _("Nationalité non reconnue : « %(value)s » (gardée dans les notes)."),
    "document_kind_unknown": _("Type de titre non reconnu : « %(value)s » (gardé dans les notes)."),
    "document_without_kind": _("Fin de validité sans type de titre (%(value)s) : gardée dans les notes."),
    "foreigner_number_invalid": _(
        "Numéro étranger incomplet : « %(value)s » (10 chiffres attendus ; gardé dans les notes)."
    ),
}


@dataclass(frozen=True)
class Problem:
    """One problem in one cell (`field` is the import field, the column comes from the mapping)."""

    code: str
    field: str
    params: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"code": self.code, "field": self.field, "params": self.params}


def render(code: str, params: dict) -> str:
    return str(MESSAGES[code]) % params if params else str(MESSAGES[code])
