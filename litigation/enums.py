from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What a reminder is about; the order is the digest's order of sections."""

    DEADLINE_7 = "deadline_7", _("Échéance dans 7 jours ou moins")
    DEADLINE_30 = "deadline_30", _("Échéance dans 30 jours ou moins")
    DEADLINE_60 = "deadline_60", _("Échéance dans 60 jours ou moins")
    PROVISIONAL_EXPIRING = "provisional_expiring", _("Récépissé ou API bientôt expiré")
    READY_FOR_REFERE = "ready_for_refere", _("Dossier prêt pour un référé")
    READY_FOR_REFERRAL = "ready_for_referral", _("Dossier prêt pour le Défenseur des droits")
    ORDER_DELAY_PASSED = "order_delay_passed", _("Délai d'exécution d'une ordonnance dépassé")
    NO_RECENT_ATTEMPT = "no_recent_attempt", _("Aucune tentative depuis 7 jours")
    RETENTION_DUE = "retention_due", _("Anonymisation prévue dans 30 jours")


class ArchiveStatus(models.TextChoices):
    PENDING = "pending", _("En préparation")
    DONE = "done", _("Prête")
    FAILED = "failed", _("Échec")


class ActionKind(models.TextChoices):
    REFERE_MESURES_UTILES = "refere_mesures_utiles", _("Référé « mesures utiles » (CJA L.521-3)")
    REFERE_SUSPENSION = "refere_suspension", _("Référé suspension (CJA L.521-1)")
    RECOURS = "recours", _("Recours au fond")


class LegalAid(models.TextChoices):
    NOT_REQUESTED = "not_requested", _("Non demandée")
    REQUESTED = "requested", _("Demandée")
    GRANTED = "granted", _("Accordée")
    REFUSED = "refused", _("Refusée")


class ActionOutcome(models.TextChoices):
    PENDING = "pending", _("En attente")
    GRANTED = "granted", _("Ordonnance favorable")
    PARTLY_GRANTED = "partly_granted", _("Ordonnance partiellement favorable")
    REJECTED = "rejected", _("Rejet")
    MOOT = "moot", _("Non-lieu (rendez-vous donné entre-temps)")
    WITHDRAWN = "withdrawn", _("Désistement")


# Outcomes that order the prefecture to act: their execution is watched.
ORDERING_OUTCOMES = (ActionOutcome.GRANTED, ActionOutcome.PARTLY_GRANTED)


class ReferralChannel(models.TextChoices):
    ONLINE_FORM = "online_form", _("Formulaire en ligne")
    POST = "post", _("Courrier")
    DELEGATE = "delegate", _("Délégué·e territorial·e")


class ReferralOutcome(models.TextChoices):
    PENDING = "pending", _("En attente")
    INTERVENED = "intervened", _("Intervention auprès de la préfecture")
    APPOINTMENT_OBTAINED = "appointment_obtained", _("Rendez-vous obtenu")
    OBSERVATIONS_FILED = "observations_filed", _("Observations devant le tribunal")
    CLOSED = "closed", _("Clôturée sans suite")


class DocumentKind(models.TextChoices):
    APPOINTMENT_LETTER = "appointment_letter", _("Lettre de demande de rendez-vous (LRAR)")
    ATTEMPT_LOG = "attempt_log", _("Relevé des tentatives et attestation")
    REFERE_DOSSIER = "refere_dossier", _("Dossier de référé (pièces et bordereau)")
    DEFENDER_COMPLAINT = "defender_complaint", _("Réclamation au Défenseur des droits")


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("En file d'attente")
    BUILDING = "building", _("En cours de construction")
    DONE = "done", _("Prêt")
    FAILED = "failed", _("Échec")
