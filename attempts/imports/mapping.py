"""The import fields and the automatic header -> field proposal.

Headers are compared after folding (accents, case, punctuation, "(e)" / "·e" endings removed),
first against known spellings, then by keywords, so "NOM DE FAMILLE", "né(e) le",
"Récépissé valable jusqu'au" or "Date of birth" find their field in any column order.
The proposal is only a proposal: the user corrects it and may save it as a named mapping.
"""

import re

from django.utils.translation import gettext_lazy as _

from attempts.imports.parsers import words

IGNORE = ""

# (field, label, exact spellings after folding). Order = order shown in the mapping form.
FIELDS = (
    ("last_name", _("Nom"), ("nom", "nom de famille", "nom usuel", "nom de naissance", "last name", "surname",
                              "family name", "name")),
    ("first_name", _("Prénom"), ("prenom", "prenoms", "first name", "given name", "given names", "firstname")),
    ("full_name", _("Nom et prénom (une seule colonne)"), ("nom prenom", "nom et prenom", "prenom nom",
                                                             "identite", "full name", "beneficiaire", "personne")),
    ("birth_date", _("Date de naissance"), ("date de naissance", "ne le", "nee le", "date naissance", "ddn",
                                             "naissance", "birth date", "date of birth", "dob", "birthdate")),
    ("birth_place", _("Lieu de naissance"), ("lieu de naissance", "ne a", "nee a", "place of birth")),
    ("nationality", _("Nationalité"), ("nationalite", "nationality", "pays", "pays d origine", "citizenship")),
    ("phone", _("Téléphone"), ("telephone", "tel", "portable", "mobile", "phone", "numero de telephone")),
    ("email", _("Adresse e-mail"), ("email", "e mail", "mail", "courriel", "adresse mail", "adresse e mail")),
    ("foreigner_number", _("Numéro étranger (AGDREF)"), ("numero etranger", "n etranger", "no etranger",
                                                          "num etranger", "agdref", "foreigner number")),
    ("postal_address", _("Adresse postale"), ("adresse", "adresse postale", "address", "postal address",
                                               "domiciliation")),
    ("languages", _("Langues parlées"), ("langues", "langue", "langues parlees", "languages", "language")),
    ("prefecture", _("Préfecture"), ("prefecture", "pref", "sous prefecture", "prefecture competente",
                                      "lieu de depot", "prefecture sous prefecture")),
    ("procedure", _("Démarche"), ("demarche", "procedure", "type de demande", "type de demarche", "demande",
                                  "motif", "motif du rdv", "application")),
    ("document_kind", _("Titre actuel (type)"), ("titre actuel", "titre", "titre de sejour", "type de titre",
                                                   "document", "document actuel", "current permit", "permit")),
    ("document_number", _("Numéro du titre"), ("numero du titre", "n titre", "numero titre", "permit number")),
    ("document_valid_from", _("Début de validité du titre"), ("debut de validite", "valable du",
                                                              "date de delivrance", "delivre le", "valid from")),
    ("document_valid_until", _("Fin de validité du titre"), ("fin de validite", "expiration titre", "expiration",
                                                             "date d expiration", "expire le", "valable jusqu au",
                                                             "date de fin", "expiry", "expiry date", "valid until")),
    ("recepisse_valid_until", _("Fin de validité du récépissé"), ("recepisse valable jusqu au", "fin recepisse",
                                                                  "recepisse", "fin de validite du recepisse",
                                                                  "recepisse expire le", "receipt valid until")),
    ("entry_date", _("Date d'entrée en France"), ("date d entree", "entree en france", "date d arrivee",
                                                    "arrivee en france", "entry date")),
    ("filing_date", _("Date de dépôt de la demande"), ("date de depot", "depose le", "depot", "filing date")),
    ("attempts", _("Tentatives de rendez-vous"), ("tentatives", "tentatives rdv", "tentatives de rendez vous",
                                                   "tentatives de rdv", "essais", "connexions", "attempts",
                                                   "dates des tentatives")),
    ("notes", _("Remarques"), ("remarques", "remarque", "notes", "note", "commentaires", "commentaire",
                               "observations", "observation", "suivi", "comments")),
)  # fmt: skip
FIELD_LABELS = {name: label for name, label, _spellings in FIELDS}

# Keyword fallbacks, tried in order when no exact spelling matched: (field, all these words).
KEYWORDS = (
    ("recepisse_valid_until", ("recepisse",)),
    ("birth_place", ("lieu", "naissance")),
    ("birth_date", ("naissance",)),
    ("birth_date", ("birth",)),
    ("entry_date", ("entree",)),
    ("filing_date", ("depot",)),
    ("document_valid_until", ("validite",)),
    ("document_valid_until", ("expir",)),
    ("attempts", ("tentative",)),
    ("attempts", ("rdv",)),
    ("notes", ("remarque",)),
    ("notes", ("comment",)),
    ("nationality", ("nationalit",)),
    ("foreigner_number", ("etranger",)),
    ("prefecture", ("prefecture",)),
    ("procedure", ("demarche",)),
    ("phone", ("tel",)),
    ("email", ("mail",)),
    ("first_name", ("prenom",)),
    ("last_name", ("nom",)),
)


def header_key(header: str) -> str:
    """Folded words of a header, without gender endings: "Né(e) le" -> "ne le"."""
    text = re.sub(r"\((?:e|es|s)\)|[·.](?:e|es)\b", "", header or "", flags=re.IGNORECASE)
    return words(text)


def _keyword_field(key: str) -> str:
    tokens = key.split()
    for name, needles in KEYWORDS:
        if all(any(token.startswith(needle) for token in tokens) for needle in needles):
            return name
    return IGNORE


def propose(headers: list[str]) -> list[str]:
    """One field (or IGNORE) per header; a field is proposed for one column at most."""
    exact = {spelling: name for name, _label, spellings in FIELDS for spelling in spellings}
    proposal, taken = [], set()
    keys = [header_key(h) for h in headers]
    # Exact spellings first, in a first pass, so "Nom" is not taken by "Nom du conseiller".
    for key in keys:
        name = exact.get(key, IGNORE)
        proposal.append(IGNORE if name in taken else name)
        taken.add(name)
    for index, key in enumerate(keys):
        if proposal[index] == IGNORE and key:
            name = _keyword_field(key)
            if name not in taken:
                proposal[index] = name
                taken.add(name)
    return proposal


def validate(columns: list[str], defaults: dict) -> list[str]:
    """Problems with a (user-corrected) mapping, as messages; [] when it can be used."""
    problems = []
    chosen = [c for c in columns if c]
    for name in sorted({c for c in chosen if chosen.count(c) > 1}):
        problems.append(_("« %(field)s » est choisi pour plusieurs colonnes.") % {"field": FIELD_LABELS[name]})
    unknown = sorted(set(chosen) - set(FIELD_LABELS))
    if unknown:
        problems.append(_("Champ inconnu : %(fields)s.") % {"fields": ", ".join(unknown)})
    if "last_name" not in chosen and "full_name" not in chosen:
        problems.append(_("Choisissez la colonne du nom."))
    for name in ("prefecture", "procedure"):
        if name not in chosen and not defaults.get(name):
            problems.append(
                _("Choisissez la colonne « %(field)s » ou une valeur par défaut.") % {"field": FIELD_LABELS[name]}
            )
    return problems
