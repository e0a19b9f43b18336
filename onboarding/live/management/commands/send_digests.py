"""Send the daily notification digests. Schedule it once a day, e.g. from cron:

    15 7 * * *  cd /srv/velkommen && .venv/bin/python manage.py send_digests

Running it more than once a day sends nothing new. ``--enqueue`` hands the
work to the task backend (Django's tasks framework) instead of doing it here.
"""

from django.core.management.base import BaseCommand

from onboarding.live.services import digests_send
from onboarding.live.tasks import send_digests_task


class Command(BaseCommand):
    help = "Send each person at most one digest of their notifications a day (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the work on the task backend instead of running it now.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = send_digests_task.enqueue()
            self.stdout.write(f"Queued send_digests_task ({result.id}, {result.status}).")
            return
        result = digests_send()
        self.stdout.write(
            f"Sent {result.digests} digest(s) holding {result.notifications} notification(s)."
        )
