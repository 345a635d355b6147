"""Synthetic demo data for every page. Idempotent; `--persons N` scales it."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, demo_backup_codes, demo_logins, seed_accounts
from attempts.demo import seed_attempts
from cases.demo import seed_cases
from litigation.demo import seed_litigation
from reports.demo import seed_urgency_history


class Command(BaseCommand):
    help = "Create synthetic demo data (never real people). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=40, help="Number of synthetic people in the demo org.")

    @transaction.atomic
    def handle(self, *args, persons, **options):
        demo, other = seed_accounts()
        created = seed_cases(demo, persons=persons)
        seed_cases(other, persons=max(3, persons // 10))
        seed_attempts(demo)
        seed_attempts(other)
        seed_urgency_history(demo)
        seed_litigation(demo)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new people)."))
        if settings.DEBUG:
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            codes = demo_backup_codes()
            for email, role, team in demo_logins():
                self.stdout.write(f"  {email:34} {role} · {team}")
                if email in codes:
                    self.stdout.write(f"  {'':34} 2FA backup codes (one use each): {' '.join(codes[email])}")
