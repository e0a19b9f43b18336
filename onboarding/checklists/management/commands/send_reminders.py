"""Remind students of their checklist items. Schedule it once a day, e.g. from cron:

    0 8 * * *  cd /srv/velkommen && .venv/bin/python manage.py send_reminders

Each student hears at most once a day (Europe/Oslo), through the notification
centre and in their own language, of the items due within three days or
overdue; running it again the same day sends nothing new. ``--enqueue`` hands
the work to the task backend (Django's tasks framework) instead.
"""

from django.core.management.base import BaseCommand

from onboarding.checklists.services import reminders_send
from onboarding.checklists.tasks import send_reminders_task


class Command(BaseCommand):
    help = "Remind each student, at most once a day, of checklist items due soon or overdue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the work on the task backend instead of running it now.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = send_reminders_task.enqueue()
            self.stdout.write(f"Queued send_reminders_task ({result.id}, {result.status}).")
            return
        result = reminders_send()
        self.stdout.write(
            f"Reminded {result.students} student(s) of {result.items} item(s) due or overdue."
        )
