"""Bring the database up to date and seed the demo: what `make run` and `make test` start with.

One process instead of three (``migrate``, ``update_translation_fields``,
``seed_demo``): loading Django and Wagtail takes seconds each time, and a
second ``make run`` or ``make test`` should start at once.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, fill missing translation fields and seed the demo (unless it is current)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Seed the demo again even if it is current."
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=verbosity, stdout=self.stdout)
        call_command("update_translation_fields", verbosity=verbosity, stdout=self.stdout)
        call_command("seed_demo", force=options["force"], verbosity=verbosity, stdout=self.stdout)
