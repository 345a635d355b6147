"""`import_cases FILE [--team T] [--dry-run]`: the spreadsheet import from the command line.

Same pipeline as the web pages: the mapping proposed from the headers is used as is (save a
corrected one as a named mapping on the web and pass `--mapping NAME`); likely duplicates take
their proposed choice. Prints the preview summary and every row in error.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.enums import Role
from accounts.models import Membership, Team
from attempts.imports import services
from attempts.imports.mapping import FIELD_LABELS
from attempts.imports.messages import render
from attempts.imports.models import ImportBatch, ImportMapping


class Command(BaseCommand):
    help = "Importe un tableur (CSV ou XLSX) de personnes, dossiers et tentatives dans une équipe."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--team", help="Identifiant ou nom de l'équipe (obligatoire s'il y en a plusieurs).")
        parser.add_argument("--mapping", help="Nom d'un modèle d'import enregistré.")
        parser.add_argument("--dry-run", action="store_true", help="Aperçu seulement : rien n'est écrit.")

    def _team(self, value):
        teams = Team.objects.select_related("organisation")
        if value is None:
            if teams.count() != 1:
                raise CommandError("Précisez --team (identifiant ou nom) : il y a plusieurs équipes.")
            return teams.get()
        found = teams.filter(pk=int(value)) if value.isdigit() else teams.filter(name=value)
        if found.count() != 1:
            raise CommandError(f"Équipe introuvable ou ambiguë : {value}")
        return found.get()

    def _actor(self, team):
        """The import is attributed to a coordinator or admin of the team's organisation (audit)."""
        membership = (
            Membership.objects.filter(team__organisation=team.organisation, role__in=(Role.ADMIN, Role.COORDINATOR))
            .select_related("user")
            .order_by("-role", "pk")
            .first()
        )
        if membership is None:
            raise CommandError("Aucun·e coordinateur·rice ou administrateur·rice dans cette association.")
        return membership.user

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        team = self._team(options["team"])
        actor = self._actor(team)
        saved = None
        if options["mapping"]:
            saved = ImportMapping.objects.filter(organisation=team.organisation, name=options["mapping"]).first()
            if saved is None:
                raise CommandError(f"Modèle d'import inconnu : {options['mapping']}")
        try:
            with transaction.atomic():
                batch = services.import_batch_upload(
                    by=actor, team=team, name=path.name, data=path.read_bytes(), saved_mapping=saved
                )
                batch = services.import_batch_map(batch=batch, columns=batch.columns, defaults=batch.defaults, by=actor)
        except services.ImportRefused as error:
            raise CommandError(str(error)) from error
        self._print_preview(batch)
        if options["dry_run"]:
            services.import_batch_discard(batch=batch)
            self.stdout.write("Aperçu seulement (--dry-run) : rien n'a été importé.")
            return
        result = services.import_batch_execute(batch_id=batch.pk, by=actor)
        batch.refresh_from_db()
        if result != "done" or batch.status != ImportBatch.Status.DONE:
            raise CommandError(f"Échec, rien n'a été importé : {batch.failure}")
        counts = batch.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Importé : {counts.get('persons_created', 0)} personnes, {counts.get('cases_created', 0)} dossiers, "
                f"{counts.get('documents_created', 0)} documents, {counts.get('attempts_created', 0)} tentatives "
                f"({counts.get('rows_merged', 0)} lignes ajoutées à des personnes existantes)."
            )
        )

    def _print_preview(self, batch):
        s = batch.preview["summary"]
        mapped = ", ".join(f"{h} → {FIELD_LABELS[c]}" for h, c in zip(batch.headers, batch.columns, strict=True) if c)
        self.stdout.write(f"Fichier : {batch.original_name} ({batch.file_format} {batch.encoding} {batch.delimiter!r})")
        self.stdout.write(f"Colonnes : {mapped}")
        self.stdout.write(
            f"{s['rows']} lignes : {s['valid']} à importer, {s['errors']} en erreur, {s['already']} déjà importées, "
            f"{s['identical']} identiques à une autre ligne, {s['duplicates']} doublons probables ; "
            f"{s['documents']} documents, {s['attempts']} tentatives."
        )
        for entry in batch.preview["rows"]:
            for problem in entry["errors"]:
                column = FIELD_LABELS.get(problem["field"], problem["field"])
                self.stdout.write(f"  ligne {entry['line']} [{column}] {render(problem['code'], problem['params'])}")
            for found in entry["existing"]:
                self.stdout.write(
                    f"  ligne {entry['line']} : doublon probable de {found['label']} (#{found['person']})"
                )
            for found in entry["in_file"]:
                self.stdout.write(f"  ligne {entry['line']} : même personne que la ligne {found['line']}")
