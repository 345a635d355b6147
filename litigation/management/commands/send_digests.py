import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from litigation import notifications


class Command(BaseCommand):
    help = "Generate the day's reminders and send each user their morning digest (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Day to run for, YYYY-MM-DD (default: today in Europe/Paris).")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD: {error}") from error
        reminders = notifications.notifications_generate(today)
        sent = notifications.digests_send(today)
        self.stdout.write(f"{today.isoformat()}: {reminders} reminder(s) for the day, {sent} digest(s) sent")
