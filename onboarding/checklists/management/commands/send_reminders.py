"""Remind students of their checklist items. Schedule it once a day, e.g. from cron:

    0 8 * * *  cd /srv/velkommen && .venv/bin/python manage.py send_reminders

Each student hears at most once a day (Europe/Oslo), through the notification
centre and in their own language, of the items due within three days or
overdue; running it again the same day sends nothing new. ``--enqueue`` hands
the work to the task backend (Django's tasks framework) instead.
"""

from onboarding.checklists.services import reminders_send
from onboarding.checklists.tasks import send_reminders_task
from onboarding.live.commands import ScheduledCommand


class Command(ScheduledCommand):
    help = "Remind each student, at most once a day, of checklist items due soon or overdue."
    task = send_reminders_task

    def run(self):
        result = reminders_send()
        return f"Reminded {result.students} student(s) of {result.items} item(s) due or overdue."
