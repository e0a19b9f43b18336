"""Send the notification emails that were due at once but never went out. Schedule it often:

    */10 * * * *  cd /srv/velkommen && .venv/bin/python manage.py send_pending_emails

An email that failed (the mail server was down, the task worker lost it) is
tried again once it is ten minutes old, for two days; running this twice
sends nothing twice. ``--enqueue`` hands the work to the task backend.
"""

from onboarding.live.commands import ScheduledCommand
from onboarding.live.services import notification_emails_retry
from onboarding.live.tasks import send_pending_emails_task


class Command(ScheduledCommand):
    help = "Send notification emails that were due at once but never went out (idempotent)."
    task = send_pending_emails_task

    def run(self):
        return f"Sent {notification_emails_retry()} pending notification email(s)."
