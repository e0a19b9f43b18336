"""Pass on places offered from event waitlists that were not claimed in time. Schedule it
often, e.g. every five minutes:

    */5 * * * *  cd /srv/velkommen && .venv/bin/python manage.py events_offers

Each offer whose time ran out lapses (the person is told) and its place is offered to
the next person in line; places a pool of reserved places released at its set time go
to the waitlist too, and so do places still free 24 hours before the start of an event
whose no-show rule held people back on its waitlist. Running it again, or while people claim offers, settles each
place exactly once. ``--enqueue`` hands the work to the task backend instead.
"""

from onboarding.activities.services import events_offers_settle
from onboarding.activities.tasks import events_offers_task
from onboarding.live.commands import ScheduledCommand


class Command(ScheduledCommand):
    help = "Pass on event places offered from the waitlist and not claimed in time."
    task = events_offers_task

    def run(self):
        settled = events_offers_settle()
        return (
            f"Looked at {settled.holders} event(s): {settled.lapsed} offer(s) lapsed, "
            f"{settled.moved_up} person(s) moved up."
        )
