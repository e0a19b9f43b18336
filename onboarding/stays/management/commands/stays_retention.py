"""Erase the personal details of stays abroad that ended ``STAY_RETENTION_DAYS`` days ago.
Schedule it daily:

    20 3 * * *  cd /srv/velkommen && .venv/bin/python manage.py stays_retention

Each stay whose end date plus ``STAY_RETENTION_DAYS`` (60) is before today
loses its address and phone abroad and its contacts at home, and its safety
checks their personal answers; its host, place and dates stay for the
statistics. Running it again erases nothing more. ``--enqueue`` hands the work
to the task backend instead. The count is printed and logged; it names no one.
"""

from onboarding.live.commands import ScheduledCommand
from onboarding.stays.services.registry import stays_erase_expired
from onboarding.stays.tasks import stays_retention_task


class Command(ScheduledCommand):
    help = "Erase the personal details of stays abroad whose retention after the stay has run out."
    task = stays_retention_task

    def run(self) -> str:
        erased = stays_erase_expired()
        return f"Erased the personal details of {erased} stay(s) abroad."
