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
