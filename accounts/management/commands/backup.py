"""`manage.py backup [--output DIR]`: database dump + media tar + SHA-256 manifest (see README)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump custom format, or SQLite backup API) and the media folder."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(settings.BACKUP_DIR),
            help="Folder that receives one timestamped sub-folder per backup (default: $BACKUP_DIR or ./backups).",
        )

    def handle(self, *args, output, **options):
        try:
            result = backup_create(output_dir=Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from error
        for name, info in sorted(result.manifest["files"].items()):
            self.stdout.write(f"{name}  {info['size']} bytes  sha256 {info['sha256']}")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {result.folder}"))
