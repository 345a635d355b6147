import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from litigation import retention


class Command(BaseCommand):
    help = "Anonymise closed cases past their retention period (never under legal hold); purge expired archives."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Day to run for, YYYY-MM-DD (default: today in Europe/Paris).")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD: {error}") from error
        result = retention.retention_run(today)
        self.stdout.write(
            f"{today.isoformat()}: {result['anonymised']} case(s) anonymised, {result['held']} under legal hold, "
            f"{result['archives_purged']} expired archive(s) purged"
        )
