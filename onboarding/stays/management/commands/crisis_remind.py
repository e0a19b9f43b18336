"""Remind the students who have not answered a safety check. Schedule it every 15 minutes:

    */15 * * * *  cd /srv/velkommen && .venv/bin/python manage.py crisis_remind

For each open crisis, a check with no answer whose last reminder (or, before
the first, the check itself) is at least the crisis's ``reminder_hours`` old
gets one reminder: a must-reach notification with fresh answer links. Running
it again within the interval, or two runs at once, remind nobody twice.
``--enqueue`` hands the work to the task backend instead.
"""

from onboarding.live.commands import ScheduledCommand
from onboarding.stays.services.crisis import crisis_remind
from onboarding.stays.tasks_crisis import crisis_remind_task


class Command(ScheduledCommand):
    help = "Remind the students who have not answered an open crisis's safety check, once per interval."
    task = crisis_remind_task

    def run(self) -> str:
        result = crisis_remind()
        return f"Sent {result.reminders} reminder(s) in {result.crises} open crisis(es)."
