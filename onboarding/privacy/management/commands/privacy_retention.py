"""Erase what the personal-data register says has expired. Schedule it once a day, e.g. from cron:

    15 3 * * *  cd /srv/velkommen && .venv/bin/python manage.py privacy_retention

Safe to run any number of times: a second run erases nothing more.
``--enqueue`` hands the work to the task backend (Django's tasks framework)
instead. The counts are printed and logged; they name models, never people.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onboarding.privacy.services import retention_apply
from onboarding.privacy.tasks import privacy_retention_task


class Command(BaseCommand):
    help = "Erase the personal data whose retention period in the register has run out."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the work on the task backend instead of running it now.",
        )

    def handle(self, *args: Any, enqueue: bool = False, **options: Any) -> None:
        if enqueue:
            result = privacy_retention_task.enqueue()
            self.stdout.write(
                f"Queued {privacy_retention_task.name} ({result.id}, {result.status})."
            )
            return
        counts = retention_apply()
        if not counts:
            self.stdout.write("Nothing has expired.")
            return
        for key, count in sorted(counts.items()):
            self.stdout.write(f"{key}: {count} erased")
