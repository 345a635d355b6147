"""Case status workflow (allowed moves) and the "next action" in plain words.

Both read only stored fields of the case, so lists can show them without extra queries.
"""

from django.utils.translation import gettext_lazy as _

from cases.enums import CaseStatus as S
from cases.enums import Urgency

# From each status, where a case may go next. Anything else is refused with a message.
TRANSITIONS = {
    S.INTAKE: {S.WINDOW_NOT_OPEN, S.ATTEMPTING, S.LODGED, S.CLOSED},
    S.WINDOW_NOT_OPEN: {S.INTAKE, S.ATTEMPTING, S.CLOSED},
    S.ATTEMPTING: {S.WINDOW_NOT_OPEN, S.WRITTEN_REQUEST_SENT, S.READY_FOR_LITIGATION, S.APPOINTMENT_OBTAINED, S.CLOSED},
    S.WRITTEN_REQUEST_SENT: {S.ATTEMPTING, S.READY_FOR_LITIGATION, S.APPOINTMENT_OBTAINED, S.CLOSED},
    S.READY_FOR_LITIGATION: {S.ATTEMPTING, S.WITH_LAWYER, S.FILED, S.APPOINTMENT_OBTAINED, S.CLOSED},
    S.WITH_LAWYER: {S.READY_FOR_LITIGATION, S.FILED, S.APPOINTMENT_OBTAINED, S.CLOSED},
    S.FILED: {S.ORDER_GRANTED, S.ORDER_REJECTED, S.APPOINTMENT_OBTAINED, S.CLOSED},
    S.ORDER_GRANTED: {S.APPOINTMENT_OBTAINED, S.CLOSED},
    S.ORDER_REJECTED: {S.ATTEMPTING, S.WITH_LAWYER, S.CLOSED},
    S.APPOINTMENT_OBTAINED: {S.ATTEMPTING, S.LODGED, S.CLOSED},
    S.LODGED: {S.PROVISIONAL_DOCUMENT_RECEIVED, S.DECIDED, S.CLOSED},
    S.PROVISIONAL_DOCUMENT_RECEIVED: {S.DECIDED, S.CLOSED},
    S.DECIDED: {S.CLOSED},
    S.CLOSED: {S.INTAKE},
}


def allowed_transitions(status: str) -> list[str]:
    """Next statuses in the workflow's own order (for the status form)."""
    allowed = TRANSITIONS.get(status, set())
    return [value for value in S.values if value in allowed]


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, set())


NEXT_ACTIONS = {
    S.INTAKE: _("Compléter la fiche et les documents"),
    S.WINDOW_NOT_OPEN: _("Préparer le dossier"),
    S.ATTEMPTING: _("Continuer les tentatives, à des heures variées"),
    S.WRITTEN_REQUEST_SENT: _("Continuer les tentatives et relancer la préfecture par écrit"),
    S.READY_FOR_LITIGATION: _("Préparer le référé avec un·e avocat·e"),
    S.WITH_LAWYER: _("Suivre le recours avec l'avocat·e"),
    S.FILED: _("Attendre l'ordonnance du tribunal"),
    S.ORDER_GRANTED: _("Vérifier que la préfecture donne le rendez-vous"),
    S.ORDER_REJECTED: _("Examiner la suite avec l'avocat·e ou reprendre les tentatives"),
    S.APPOINTMENT_OBTAINED: _("Préparer les pièces pour le rendez-vous"),
    S.LODGED: _("Obtenir le récépissé ou l'attestation de prolongation"),
    S.PROVISIONAL_DOCUMENT_RECEIVED: _("Surveiller la fin du document provisoire"),
    S.DECIDED: _("Informer la personne de la décision et clore le dossier"),
    S.CLOSED: _("Aucune"),
}
# Before filing, a deadline already passed changes what to do first.
EARLY_STATUSES = (S.INTAKE, S.WINDOW_NOT_OPEN, S.ATTEMPTING, S.WRITTEN_REQUEST_SENT)


def next_action(case) -> str:
    """What the caseworker should do next, in words, from the case's status and urgency."""
    if case.status in EARLY_STATUSES and case.urgency == Urgency.EXPIRED:
        return str(_("Échéance dépassée : demander conseil sans attendre (récépissé, référé)"))
    if case.status == S.WINDOW_NOT_OPEN and case.urgency in (Urgency.D7, Urgency.D30):
        return str(_("Commencer les tentatives de rendez-vous"))
    if case.status == S.ATTEMPTING and case.urgency == Urgency.D7:
        return str(_("Envoyer une demande écrite et préparer le référé"))
    return str(NEXT_ACTIONS.get(case.status, ""))
