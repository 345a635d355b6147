from django.db import models
from django.utils.translation import gettext_lazy as _

# The exact official wording shown by the booking modules (pre-filled in the attempt form).
MESSAGE_NO_SLOT = (
    "Il n'existe plus de plage horaire libre pour votre demande de rendez-vous. Veuillez recommencer ultérieurement."
)
MESSAGE_TECHNICAL_ERROR = "Nous ne sommes pas en mesure de traiter votre demande."


class Channel(models.TextChoices):
    PREFECTURE_WEB = "prefecture_web", _("Module de rendez-vous de la préfecture")
    NATIONAL_WEB = "national_web", _("Module national de rendez-vous")
    ANEF = "anef", _("ANEF")
    DEMARCHES_SIMPLIFIEES = "demarches_simplifiees", _("Démarches simplifiées")
    EMAIL = "email", _("Courriel à la préfecture")
    LRAR = "lrar", _("Lettre recommandée avec accusé de réception")
    COUNTER = "counter", _("Passage au guichet")
    PHONE = "phone", _("Téléphone")
    ANEF_CONTACT_CENTRE = "anef_ccc", _("Centre de contact citoyen ANEF (CCC)")
    DIGITAL_HELP_POINT = "pan", _("Point d'accueil numérique (PAN)")


WRITTEN_CHANNELS = (Channel.EMAIL, Channel.LRAR)
ANEF_HELP_CHANNELS = (Channel.ANEF_CONTACT_CENTRE, Channel.DIGITAL_HELP_POINT)


class Outcome(models.TextChoices):
    NO_SLOT = "no_slot", _("Aucun créneau disponible")
    TECHNICAL_ERROR = "technical_error", _("Erreur technique")
    CAPTCHA_BLOCKED = "captcha_blocked", _("Bloqué par le captcha")
    SLOT_LOST = "slot_lost", _("Créneau affiché puis perdu")
    BOOKED = "booked", _("Rendez-vous obtenu")
    NO_REPLY = "no_reply", _("Pas de réponse")
    AUTOMATIC_REPLY = "automatic_reply", _("Réponse automatique")
    REFUSED_AT_COUNTER = "refused_at_counter", _("Refus au guichet")
    TOO_LATE = "too_late", _("Rendez-vous proposé trop tard")


# Outcomes that are a failure to get an appointment (the evidence courts look at).
FAILED_OUTCOMES = (
    Outcome.NO_SLOT,
    Outcome.TECHNICAL_ERROR,
    Outcome.CAPTCHA_BLOCKED,
    Outcome.SLOT_LOST,
    Outcome.NO_REPLY,
    Outcome.AUTOMATIC_REPLY,
    Outcome.REFUSED_AT_COUNTER,
    Outcome.TOO_LATE,
)


class Reply(models.TextChoices):
    NONE = "none", _("Aucune réponse")
    AUTOMATIC = "automatic", _("Réponse automatique")
    REFUSAL = "refusal", _("Refus")
    APPOINTMENT = "appointment", _("Rendez-vous proposé")


class RecordedVia(models.TextChoices):
    CASEWORKER = "caseworker", _("Saisie par l'association")
    SELF_REPORT = "self_report", _("Signalée par la personne (lien personnel)")
    IMPORT = "import", _("Importée d'un tableur")


class TimeBand(models.TextChoices):
    MORNING = "morning", _("matin")
    MIDDAY = "midday", _("midi")
    EVENING = "evening", _("soir")
