"""Send the daily notification digests. Schedule it once a day, e.g. from cron:

    15 7 * * *  cd /srv/velkommen && .venv/bin/python manage.py send_digests

Running it more than once a day sends nothing new. ``--enqueue`` hands the
work to the task backend (Django's tasks framework) instead of doing it here.
"""

from onboarding.live.commands import ScheduledCommand
from onboarding.live.services import digests_send
from onboarding.live.tasks import send_digests_task


class Command(ScheduledCommand):
    help = "Send each person at most one digest of their notifications a day (idempotent)."
    task = send_digests_task

    def run(self):
        result = digests_send()
        return f"Sent {result.digests} digest(s) holding {result.notifications} notification(s)."
