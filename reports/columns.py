"""The columns of every CSV export, in one place: the order is a promise to users.

People build spreadsheets and funder reports on these files, so a column is never renamed,
moved or removed: new columns are appended at the end of their list (tests pin the order).
Each column names the database fields it reads (`values_list`, no model instance), whether it
holds personal data (dropped by `pseudonymise=1`), and a description shown on /exports/columns/.

A converter may carry an SQL twin (`sql_twin`): the same cell computed by PostgreSQL, so that the
export can be written by COPY (config/csv_copy.py). A column whose converter has none makes its
export use the Python writer; tests compare both writers on every export (tests/test_export_copy.py).
"""

import functools
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from attempts.enums import Channel, Outcome, RecordedVia, Reply
from cases.countries import countries, nationality_label
from cases.enums import CaseStatus, ProcedureType, Readiness, Urgency
from config.csv_copy import BOOLEAN, INTEGER, SAFE_TEXT, TEXT, format_sql, literal
from config.csv_export import neutralise
from litigation.enums import ActionKind, ActionOutcome, LegalAid, ReferralChannel, ReferralOutcome


def sql_twin(sql: Callable) -> Callable:
    """Attach to a converter the SQL computing the same cell: sql(*field_expressions) -> (sql, kind)."""

    def attach(convert):
        convert.sql = sql
        return convert

    return attach


def _pseudonym_sql(person_id: str) -> tuple[str, str]:
    # HMAC-SHA256 with PostgreSQL's built-in sha256(): H((K ^ opad) || H((K ^ ipad) || message)).
    key = settings.SECRET_KEY.encode()
    if len(key) > hashlib.sha256().block_size:
        key = hashlib.sha256(key).digest()
    key = key.ljust(hashlib.sha256().block_size, b"\0")
    inner, outer = bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)
    message = f"convert_to('person:' || {person_id}::text, 'UTF8')"
    digest = f"sha256({literal(outer)} || sha256({literal(inner)} || {message}))"
    return f"'P-' || left(encode({digest}, 'hex'), 12)", SAFE_TEXT


@sql_twin(_pseudonym_sql)
def pseudonym(person_id: int | None) -> str:
    # A person has many rows in an export: the HMAC is computed once per person.
    return "" if person_id is None else _pseudonym(settings.SECRET_KEY, person_id)


@functools.lru_cache(maxsize=200_000)
def _pseudonym(secret: str, person_id: int) -> str:
    """A stable pseudonymous id for a person: HMAC-SHA256 of their id keyed by SECRET_KEY, truncated.

    Stable across exports (the same person keeps the same id, so reports can count people),
    not reversible without the key. Changing SECRET_KEY changes every pseudonym.
    """
    digest = hmac.new(secret.encode(), f"person:{person_id}".encode(), hashlib.sha256).hexdigest()
    return "P-" + digest[:12]


def _labels_sql(value: str, labels: dict, *, match: str | None = None) -> tuple[str, str]:
    """CASE match WHEN code THEN label ... ELSE value: the labels (in the current language) already
    formatted as cells; an unknown code is shown as stored, neutralised, like the Python side."""
    branches = " ".join(
        f"WHEN {literal(code)} THEN {literal(neutralise(str(label)))}" for code, label in labels.items()
    )
    # An unknown integer code is written as a number (format_cell neutralises text only).
    fallback = f"({value})::text" if all(type(c) is int for c in labels) else format_sql(value, TEXT, None)
    return f"CASE {match or value} {branches} ELSE {fallback} END", SAFE_TEXT


def _label(choices) -> Callable:
    labels = dict(choices)
    translated = {}  # (language, value) -> text: gettext once per label, not once per row

    @sql_twin(lambda value: _labels_sql(value, labels))
    def convert(value):
        if value in (None, ""):
            return ""
        key = (get_language(), value)
        if key not in translated:
            translated[key] = str(labels.get(value, value))
        return translated[key]

    return convert


@sql_twin(lambda value: (f"extract(year from {value})::integer", INTEGER))
def _year(value):
    return value.year if value else None


# What str.strip() removes: every character Python calls whitespace (btrim's set must be the same).
WHITESPACE = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())


@sql_twin(
    lambda first, last: (f"btrim(coalesce({first}, '') || ' ' || coalesce({last}, ''), {literal(WHITESPACE)})", TEXT)
)
def _full_name(first: str | None, last: str | None) -> str:
    return f"{first or ''} {last or ''}".strip()


@sql_twin(lambda code: _labels_sql(code, countries(), match=f"upper({code})"))
def _nationality(code: str | None) -> str:
    return nationality_label(code)


@dataclass(frozen=True)
class Column:
    name: str  # the header, stable forever
    description: str
    fields: tuple[str, ...]  # the values_list fields this column reads
    personal: bool = False  # names, contact details, foreigner numbers, exact birth date...
    convert: Callable | None = None  # from the fields' values to the cell (default: the one value)

    def value(self, record: dict):
        values = [record[f] for f in self.fields]
        if self.convert is None:
            return values[0]
        return self.convert(*values)


def C(name, description, *fields, personal=False, convert=None) -> Column:  # noqa: N802 - reads like a table
    return Column(name, description, tuple(fields), personal, convert)


CASE_COLUMNS = (
    C("case_id", _("Numéro du dossier dans Plage libre."), "id"),
    C("person_pseudonym", _("Identifiant pseudonyme et stable de la personne."), "person_id", convert=pseudonym),
    C("person_id", _("Numéro de la personne dans Plage libre."), "person_id", personal=True),
    C("last_name", _("Nom de la personne."), "person__last_name", personal=True),
    C("first_name", _("Prénom de la personne."), "person__first_name", personal=True),
    C("birth_date", _("Date de naissance."), "person__birth_date", personal=True),
    C("birth_year", _("Année de naissance."), "person__birth_date", convert=_year),
    C("nationality", _("Nationalité (code pays ISO)."), "person__nationality"),
    C("phone", _("Téléphone de la personne."), "person__phone", personal=True),
    C("email", _("E-mail de la personne."), "person__email", personal=True),
    C("foreigner_number", _("Numéro étranger (AGDREF)."), "person__foreigner_number", personal=True),
    C("team", _("Équipe qui suit le dossier."), "team__name"),
    C(
        "assignee",
        _("Intervenant·e qui suit le dossier."),
        "assignee__first_name",
        "assignee__last_name",
        convert=_full_name,
    ),  # fmt: skip
    C("procedure", _("Démarche (code stable)."), "procedure"),
    C("procedure_label", _("Démarche (libellé)."), "procedure", convert=_label(ProcedureType.choices)),
    C("prefecture_code", _("Code de la préfecture."), "prefecture__code"),
    C("prefecture", _("Nom de la préfecture."), "prefecture__name"),
    C("uses_anef", _("Démarche sur l'ANEF."), "uses_anef"),
    C("status", _("Statut (code stable)."), "status"),
    C("status_label", _("Statut (libellé)."), "status", convert=_label(CaseStatus.choices)),
    C("next_deadline_date", _("Date de la prochaine échéance."), "next_deadline_date"),
    C("next_deadline_label", _("Nature de la prochaine échéance."), "next_deadline_label"),
    C("urgency", _("Urgence (libellé)."), "urgency", convert=_label(Urgency.choices)),
    C("readiness", _("Recours possible (code stable)."), "readiness"),
    C("readiness_label", _("Recours possible (libellé)."), "readiness", convert=_label(Readiness.choices)),
    C("readiness_since", _("Date depuis laquelle le recours est possible."), "readiness_since"),
    C("attempt_count", _("Nombre de tentatives enregistrées."), "attempt_count"),
    C("last_attempt_at", _("Date et heure de la dernière tentative."), "last_attempt_at"),
    C("filing_date", _("Date de dépôt de la demande."), "filing_date"),
    C("created_at", _("Date d'ouverture du dossier."), "created_at"),
    C("closed_at", _("Date de clôture du dossier."), "closed_at"),
    # Appended (the order is a promise): the French name next to the stable code of `nationality`.
    C(
        "nationality_label",
        _("Nationalité (nom du pays en français)."),
        "person__nationality",
        convert=_nationality,
    ),
)

ATTEMPT_COLUMNS = (
    C("attempt_id", _("Numéro de la tentative."), "id"),
    C("case_id", _("Numéro du dossier."), "case_id"),
    C("person_pseudonym", _("Identifiant pseudonyme et stable de la personne."), "case__person_id", convert=pseudonym),
    C("last_name", _("Nom de la personne."), "case__person__last_name", personal=True),
    C("first_name", _("Prénom de la personne."), "case__person__first_name", personal=True),
    C("team", _("Équipe qui suit le dossier."), "case__team__name"),
    C("prefecture_code", _("Code de la préfecture."), "case__prefecture__code"),
    C("prefecture", _("Nom de la préfecture."), "case__prefecture__name"),
    C("procedure", _("Démarche (code stable)."), "case__procedure"),
    C("moment", _("Date et heure de la tentative (heure de Paris)."), "moment"),
    C("channel", _("Canal (code stable)."), "channel"),
    C("channel_label", _("Canal (libellé)."), "channel", convert=_label(Channel.choices)),
    C("outcome", _("Résultat (code stable)."), "outcome"),
    C("outcome_label", _("Résultat (libellé)."), "outcome", convert=_label(Outcome.choices)),
    C("url", _("Adresse de la page consultée."), "url"),
    C("message", _("Message affiché par le site."), "message"),
    C("recorded_via", _("Origine de la saisie."), "recorded_via", convert=_label(RecordedVia.choices)),
    C("evidence_count", _("Nombre de preuves jointes."), "evidence_count"),
    C(
        "acknowledgement_number", _("Numéro d'accusé de réception (courrier)."), "acknowledgement_number", personal=True
    ),  # fmt: skip
    C("acknowledgement_date", _("Date de l'accusé de réception."), "acknowledgement_date"),
    C("reply", _("Réponse de la préfecture."), "reply", convert=_label(Reply.choices)),
    C("reply_date", _("Date de la réponse."), "reply_date"),
    C("note", _("Remarque libre (peut contenir des données personnelles)."), "note", personal=True),
)

SATURATION_COLUMNS = (
    C("prefecture_code", _("Code de la préfecture."), "case__prefecture__code"),
    C("prefecture", _("Nom de la préfecture."), "case__prefecture__name"),
    C("week", _("Semaine (date du lundi, heure de Paris)."), "week"),
    C("attempts", _("Tentatives enregistrées dans la semaine."), "total"),
    C("no_slot", _("Réponses « aucun créneau disponible »."), "no_slot"),
    C(
        "no_slot_share",
        _("Part des réponses « aucun créneau disponible » (entre 0 et 1)."),
        "no_slot",
        "total",
        convert=lambda no_slot, total: round(no_slot / total, 3) if total else None,
    ),  # fmt: skip
    C("cases", _("Dossiers concernés."), "cases"),
)


@sql_twin(lambda value: (f"{value} IS NOT NULL", BOOLEAN))
def _is_set(value) -> bool:
    return value is not None


# The case a court action or a referral belongs to: the same columns, in the same places, in both.
_CASE_OF_THE_ROW = (
    C("case_id", _("Numéro du dossier."), "case_id"),
    C("person_pseudonym", _("Identifiant pseudonyme et stable de la personne."), "case__person_id", convert=pseudonym),
    C("person_id", _("Numéro de la personne dans Plage libre."), "case__person_id", personal=True),
    C("last_name", _("Nom de la personne."), "case__person__last_name", personal=True),
    C("first_name", _("Prénom de la personne."), "case__person__first_name", personal=True),
    C("team", _("Équipe qui suit le dossier."), "case__team__name"),
    C("prefecture_code", _("Code de la préfecture."), "case__prefecture__code"),
    C("prefecture", _("Nom de la préfecture."), "case__prefecture__name"),
)

LITIGATION_COLUMNS = (
    C("action_id", _("Numéro de l'action contentieuse."), "id"),
    *_CASE_OF_THE_ROW,
    C("court", _("Tribunal saisi."), "court"),
    C(
        "court_case_number",
        _("Numéro de requête (permet de retrouver la personne)."),
        "court_case_number",
        personal=True,
    ),  # fmt: skip
    C("kind", _("Type de recours (code stable)."), "kind"),
    C("kind_label", _("Type de recours (libellé)."), "kind", convert=_label(ActionKind.choices)),
    C("legal_aid", _("Aide juridictionnelle (libellé)."), "legal_aid", convert=_label(LegalAid.choices)),
    C("filed_on", _("Date de dépôt."), "filed_on"),
    C("hearing_on", _("Date d'audience."), "hearing_on"),
    C("order_on", _("Date de l'ordonnance."), "order_on"),
    C("outcome", _("Issue (code stable)."), "outcome"),
    C("outcome_label", _("Issue (libellé)."), "outcome", convert=_label(ActionOutcome.choices)),
    C(
        "ordered_appointment_within_days",
        _("Délai fixé par le juge pour donner le rendez-vous (jours)."),
        "ordered_appointment_within_days",
    ),  # fmt: skip
    C(
        "ordered_held_within_days",
        _("Délai fixé par le juge pour tenir le rendez-vous (jours)."),
        "ordered_held_within_days",
    ),  # fmt: skip
    C("daily_penalty_eur", _("Astreinte (euros par jour)."), "daily_penalty_eur"),
    C("execution_due_on", _("Date limite d'exécution de l'ordonnance."), "execution_due_on"),
    C("executed_on", _("Date d'exécution (rendez-vous donné)."), "executed_on"),
    C("executed", _("Ordonnance exécutée (une date d'exécution est enregistrée)."), "executed_on", convert=_is_set),
    C(
        "order_not_executed",
        _("Ordonnance favorable non exécutée alors que le délai fixé est passé (règle de la file du contentieux)."),
        "not_executed",
    ),  # fmt: skip
)

REFERRAL_COLUMNS = (
    C("referral_id", _("Numéro de la saisine."), "id"),
    *_CASE_OF_THE_ROW,
    C("channel", _("Mode de saisine (code stable)."), "channel"),
    C("channel_label", _("Mode de saisine (libellé)."), "channel", convert=_label(ReferralChannel.choices)),
    C(
        "reference",
        _("Référence du dossier chez le Défenseur (permet de retrouver la personne)."),
        "reference",
        personal=True,
    ),  # fmt: skip
    C("sent_on", _("Date de saisine."), "sent_on"),
    C("acknowledged_on", _("Date de l'accusé de réception."), "acknowledged_on"),
    C("answered_on", _("Date de la réponse."), "answered_on"),
    C("outcome", _("Suite donnée (code stable)."), "outcome"),
    C("outcome_label", _("Suite donnée (libellé)."), "outcome", convert=_label(ReferralOutcome.choices)),
)


def columns_for(columns: tuple[Column, ...], *, pseudonymise: bool) -> list[Column]:
    return [c for c in columns if not (pseudonymise and c.personal)]


def fields_for(columns: list[Column]) -> list[str]:
    """The distinct database fields the columns read, in first-use order."""
    return list(dict.fromkeys(f for c in columns for f in c.fields))
