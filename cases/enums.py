from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcedureType(models.TextChoices):
    FIRST_APPLICATION = "first_application", _("Première demande")
    RENEWAL = "renewal", _("Renouvellement")
    CHANGE_OF_STATUS = "change_of_status", _("Changement de statut")
    DUPLICATE = "duplicate", _("Duplicata")
    CHANGE_OF_SITUATION = "change_of_situation", _("Changement de situation")
    DCEM = "dcem", _("Document de circulation pour étranger mineur (DCEM)")
    REFUGEE_TRAVEL_DOCUMENT = "refugee_travel_document", _("Titre de voyage pour réfugié")
    NATURALISATION_DECREE = "naturalisation_decree", _("Naturalisation par décret")
    NATURALISATION_DECLARATION = "naturalisation_declaration", _("Naturalisation par déclaration")
    PROTECTION_CARD = "protection_card", _("Carte de protection internationale")


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("Accueil")
    WINDOW_NOT_OPEN = "window_not_open", _("Fenêtre de dépôt pas encore ouverte")
    ATTEMPTING = "attempting", _("Tentatives en cours")
    WRITTEN_REQUEST_SENT = "written_request_sent", _("Demande écrite envoyée")
    READY_FOR_LITIGATION = "ready_for_litigation", _("Prêt pour un recours")
    WITH_LAWYER = "with_lawyer", _("Chez l'avocat·e")
    FILED = "filed", _("Référé déposé")
    ORDER_GRANTED = "order_granted", _("Ordonnance favorable")
    ORDER_REJECTED = "order_rejected", _("Ordonnance de rejet")
    APPOINTMENT_OBTAINED = "appointment_obtained", _("Rendez-vous obtenu")
    LODGED = "lodged", _("Dossier déposé")
    PROVISIONAL_DOCUMENT_RECEIVED = "provisional_document_received", _("Récépissé ou API reçu")
    DECIDED = "decided", _("Décision rendue")
    CLOSED = "closed", _("Clos")


class DocumentKind(models.TextChoices):
    VLS_TS = "vls_ts", _("VLS-TS (visa long séjour valant titre)")
    TEMPORARY_CARD = "temporary_card", _("Carte de séjour temporaire")
    MULTI_YEAR_CARD = "multi_year_card", _("Carte de séjour pluriannuelle")
    RESIDENT_CARD = "resident_card", _("Carte de résident")
    ALGERIAN_CERTIFICATE = "algerian_certificate", _("Certificat de résidence algérien")
    APS = "aps", _("Autorisation provisoire de séjour (APS)")
    RECEPISSE = "recepisse", _("Récépissé")
    API = "api", _("Attestation de prolongation d'instruction (API)")
    FILING_CERTIFICATE = "filing_certificate", _("Attestation de dépôt (ANEF)")
    FAVOURABLE_DECISION = "favourable_decision", _("Attestation de décision favorable")


# Provisional documents: their expiry is a milestone of its own (récépissé, API).
PROVISIONAL_DOCUMENT_KINDS = (DocumentKind.RECEPISSE, DocumentKind.API, DocumentKind.APS)


class HarmKind(models.TextChoices):
    JOB_SUSPENDED = "job_suspended", _("Emploi suspendu")
    JOB_LOST = "job_lost", _("Emploi perdu")
    BENEFITS_SUSPENDED = "benefits_suspended", _("Prestations sociales suspendues")
    JOB_CENTRE_DEREGISTRATION = "job_centre_deregistration", _("Radiation de France Travail")
    HOUSING = "housing", _("Logement menacé ou perdu")
    STUDIES = "studies", _("Études empêchées")
    TRAVEL_BLOCKED = "travel_blocked", _("Voyage impossible")
    AGE_DEADLINE = "age_deadline", _("Échéance liée à l'âge")
    OTHER = "other", _("Autre")


class Urgency(models.IntegerChoices):
    """Stored as a rank so lists sort by it directly (most urgent first)."""

    EXPIRED = 0, _("Échu")
    D7 = 1, _("7 jours ou moins")
    D30 = 2, _("30 jours ou moins")
    D60 = 3, _("60 jours ou moins")
    LATER = 4, _("Plus tard")
    NONE = 5, _("Aucune échéance")


class Readiness(models.TextChoices):
    """Outcome of the litigation app's evaluation, stored on the case for fast lists.

    The rules that compute it live in litigation; cases only keeps the result.
    """

    NOT_YET = "not_yet", _("Pas encore")
    READY_FOR_REFERE = "ready_for_refere", _("Prêt pour un référé")
    READY_FOR_REFERRAL = "ready_for_referral", _("Prêt pour une saisine du Défenseur des droits")
    LAWYER_REVIEW = "lawyer_review", _("À examiner par un·e avocat·e")


class DeadlineAnchor(models.TextChoices):
    """The date a deadline rule counts from."""

    TITLE_EXPIRY = "title_expiry", _("Expiration du titre de séjour")
    PROVISIONAL_EXPIRY = "provisional_expiry", _("Expiration du document provisoire")
    FILING_DATE = "filing_date", _("Date de dépôt de la demande")
    BIRTH_DATE = "birth_date", _("Date de naissance")
    ENTRY_DATE = "entry_date", _("Date d'entrée en France")


class AnefScope(models.TextChoices):
    ANY = "any", _("ANEF ou non")
    ANEF = "anef", _("Démarches sur l'ANEF")
    NOT_ANEF = "not_anef", _("Démarches hors ANEF")


class RuleTag(models.TextChoices):
    """Where a rule comes from (DOMAIN.md): read in a text, advised by practitioners, or our default."""

    TEXT = "text", _("Texte")
    PRACTICE = "practice", _("Pratique")
    DEFAULT = "default", _("Par défaut")


# Residence titles: the current one's expiry anchors the renewal milestones.
TITLE_DOCUMENT_KINDS = (
    DocumentKind.VLS_TS,
    DocumentKind.TEMPORARY_CARD,
    DocumentKind.MULTI_YEAR_CARD,
    DocumentKind.RESIDENT_CARD,
    DocumentKind.ALGERIAN_CERTIFICATE,
)

# Statuses where no deadline is followed any more.
INACTIVE_STATUSES = (CaseStatus.DECIDED, CaseStatus.CLOSED)
