"""Make the coming occurrences of repeating event series. Schedule it once a day, e.g.:

    30 3 * * *  cd /srv/velkommen && .venv/bin/python manage.py events_recur

Each date a series' rule gives within ``EVENTS_RECURRENCE_WEEKS`` weeks (8 unless
set) becomes a published event under the series, with its own signups; running
it again makes nothing new. ``--enqueue`` hands the work to the task backend
(Django's tasks framework) instead.
"""

from onboarding.activities.services import occurrences_create
from onboarding.activities.tasks import events_recur_task
from onboarding.live.commands import ScheduledCommand


class Command(ScheduledCommand):
    help = "Make the coming occurrences of repeating event series (those not made yet)."
    task = events_recur_task

    def run(self):
        made = occurrences_create()
        return f"Made {len(made)} occurrence(s) of repeating event series."
