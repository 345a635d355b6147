"""`manage.py restore FOLDER --yes`: verify a backup's manifest, then replace database and media."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.backups import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = "Restore a backup made by `backup` (checks every SHA-256 first). Replaces the current data."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A backup folder (plage-libre-YYYYmmdd-HHMMSS).")
        parser.add_argument("--yes", action="store_true", help="Confirm: the current database and media are replaced.")
        parser.add_argument("--check", action="store_true", help="Only verify the manifest; change nothing.")

    def handle(self, *args, folder, yes, check, **options):
        try:
            if check:
                manifest = backup_verify(Path(folder))
                self.stdout.write(self.style.SUCCESS(f"Backup of {manifest['created_at']} is complete and intact."))
                return
            if not yes:
                raise CommandError("Restoring replaces the current database and media folder: add --yes to confirm.")
            manifest = backup_restore(folder=Path(folder))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored the backup of {manifest['created_at']}."))
