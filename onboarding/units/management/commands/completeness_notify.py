"""Remind the units whose content is too seldom in both languages. Schedule it monthly:

    0 8 1 * *  cd /srv/velkommen && .venv/bin/python manage.py completeness_notify

Each live unit whose share of content complete in both languages is below
``COMPLETENESS_THRESHOLD`` gets one notification to its editors, in their own
language, linking to the unit's completeness report. Once per unit per month:
running it again in the month, or two runs at once, tell nobody twice.
``--enqueue`` hands the work to the task backend instead.
"""

from onboarding.live.commands import ScheduledCommand
from onboarding.units.completeness_services import completeness_notify
from onboarding.units.tasks import completeness_notify_task


class Command(ScheduledCommand):
    help = "Tell the editors of each unit with too little content in both languages, once a month."
    task = completeness_notify_task

    def run(self) -> str:
        result = completeness_notify()
        return f"{result.below} unit(s) below the threshold; {result.notified} reminded this run."
