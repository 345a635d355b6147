"""Nightly (also run by the `nightly_recompute` schedule): every case's deadlines, then readiness."""

from django.core.management.base import BaseCommand

from litigation.services import flags_recompute_all


class Command(BaseCommand):
    help = "Recompute the deadlines and the litigation readiness of every case (set-based)."

    def add_arguments(self, parser):
        parser.add_argument("--chunk-size", type=int, default=5000)

    def handle(self, *args, chunk_size, **options):
        result = flags_recompute_all(chunk_size=chunk_size)
        self.stdout.write(
            self.style.SUCCESS(
                "{cases} cases: {deadlines_changed} deadlines changed ({deadlines_seconds:.1f} s), "
                "{readiness_changed} readiness results changed; {seconds:.1f} s in all.".format(**result)
            )
        )
