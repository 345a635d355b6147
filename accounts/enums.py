from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Bénévole / intervenant·e")
    COORDINATOR = "coordinator", _("Coordinateur·rice")
    ADMIN = "admin", _("Administrateur·rice")


# Higher number = wider rights; a user's organisation-wide role is their highest membership.
ROLE_RANK = {Role.CASEWORKER: 1, Role.COORDINATOR: 2, Role.ADMIN: 3}


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Connexion")
    LOGIN_FAILED = "login_failed", _("Échec de connexion")
    LOGOUT = "logout", _("Déconnexion")
    PERMISSION_CHANGE = "permission_change", _("Changement de droits")
    USER_CREATE = "user_create", _("Création d'utilisateur")
    CASE_VIEW = "case_view", _("Consultation d'un dossier")
    CASE_CREATE = "case_create", _("Création d'un dossier")
    CASE_UPDATE = "case_update", _("Modification d'un dossier")
    CASE_DELETE = "case_delete", _("Suppression d'un dossier")
    PERSON_CREATE = "person_create", _("Création d'une personne")
    PERSON_UPDATE = "person_update", _("Modification d'une personne")
    PERSON_MERGE = "person_merge", _("Fusion de personnes")
    PERSON_DELETE = "person_delete", _("Suppression d'une personne")
    ATTEMPT_CREATE = "attempt_create", _("Tentative enregistrée")
    ATTEMPT_UPDATE = "attempt_update", _("Tentative corrigée")
    EVIDENCE_UPLOAD = "evidence_upload", _("Preuve déposée")
    EVIDENCE_VIEW = "evidence_view", _("Preuve consultée")
    EVIDENCE_DELETE = "evidence_delete", _("Preuve supprimée")
    SELF_REPORT_LINK = "self_report_link", _("Lien personnel")
    DOCUMENT_GENERATE = "document_generate", _("Document généré")
    DOCUMENT_DOWNLOAD = "document_download", _("Document téléchargé")
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")
    ANONYMISE = "anonymise", _("Anonymisation")
    RESTORE = "restore", _("Restauration")
    SETTINGS_CHANGE = "settings_change", _("Changement de paramètres")
    ACCOUNT_LOCKED = "account_locked", _("Compte bloqué après des échecs de connexion")
    ACCOUNT_UNLOCK = "account_unlock", _("Compte débloqué")
    TWO_FACTOR_ENABLE = "two_factor_enable", _("Double authentification activée")
    TWO_FACTOR_FAILED = "two_factor_failed", _("Échec de double authentification")
    TWO_FACTOR_RESET = "two_factor_reset", _("Double authentification réinitialisée")
    BACKUP_CODES_GENERATE = "backup_codes_generate", _("Codes de secours générés")
    PURGE = "purge", _("Suppression définitive (corbeille)")
    JOB_RETRY = "job_retry", _("Tâche de fond relancée")
    RETENTION_EXTEND = "retention_extend", _("Conservation prolongée")
