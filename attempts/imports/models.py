"""Import records: a saved column mapping, one batch per uploaded file, one row per imported line.

Loaded by `attempts.models` (Django finds models through the app's models module).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Team
from cases.models import Case, Person


class ImportMapping(models.Model):
    """A named, reusable "this header is that field" choice, per organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="import_mappings")
    name = models.CharField(_("nom du modèle"), max_length=100)
    # Folded header -> field, so the mapping fits the same headers in any order.
    columns = models.JSONField(default=dict)
    # Values for rows whose cell is empty or column absent: {"prefecture": pk, "procedure": value}.
    defaults = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("modèle d'import")
        verbose_name_plural = _("modèles d'import")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="import_mapping_unique_name")]

    def __str__(self):
        return self.name


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Imports are an organisation-wide tool of coordinators and admins; other orgs get a 404."""
        if not user.is_authenticated or user.organisation_id is None or not user.is_coordinator:
            return self.none()
        return self.filter(organisation_id=user.organisation_id)


def import_upload_to(instance, filename):
    # A random name, never the uploaded one: the file is found through its batch only.
    return f"imports/{instance.organisation_id}/{uuid.uuid4().hex}"


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Fichier déposé")
        PREVIEWED = "previewed", _("Aperçu prêt")
        QUEUED = "queued", _("En attente d'import")
        RUNNING = "running", _("Import en cours")
        DONE = "done", _("Importé")
        FAILED = "failed", _("Échec : rien n'a été importé")
        CANCELLED = "cancelled", _("Abandonné")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="import_batches")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="import_batches")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED)
    original_name = models.CharField(max_length=255)
    stored_file = models.FileField(upload_to=import_upload_to, max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    file_hash = models.CharField(max_length=64, db_index=True)
    file_format = models.CharField(max_length=10, blank=True)
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=4, blank=True)
    headers = models.JSONField(default=list)
    # The field chosen for each column (same order as headers; "" = not imported).
    columns = models.JSONField(default=list)
    defaults = models.JSONField(default=dict, blank=True)
    mapping = models.ForeignKey(ImportMapping, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    rows_total = models.PositiveIntegerField(default=0)
    # The dry run: per row what it will create, its problems and its likely duplicates.
    preview = models.JSONField(default=dict, blank=True)
    # Per row line number (as text): "create", "skip", "merge:<person id>" or "merge-line:<line>".
    choices = models.JSONField(default=dict, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    job_id = models.CharField(max_length=64, blank=True)
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"


class ImportedRow(models.Model):
    """One line written by an import. The fingerprint makes a second run of the same data a no-op."""

    class Outcome(models.TextChoices):
        CREATED = "created", _("Personne créée")
        MERGED = "merged", _("Ajouté à une personne existante")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="imported_rows")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    line = models.PositiveIntegerField()
    fingerprint = models.CharField(max_length=64)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("ligne importée")
        verbose_name_plural = _("lignes importées")
        ordering = ["batch", "line"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "fingerprint"], name="imported_row_unique_fingerprint")
        ]

    def __str__(self):
        return f"{self.batch_id}:{self.line}"
