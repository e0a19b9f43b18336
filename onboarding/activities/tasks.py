"""Background work of events, through Django's tasks framework.

The work itself is a service, so ``manage.py events_recur`` and the task do the
same thing; either is safe to run any number of times.
"""

from django.tasks import task

from .services import events_offers_settle, occurrences_create


@task()
def events_recur_task() -> dict[str, int]:
    """Make the coming occurrences of every repeating event series (those not made yet)."""
    return {"made": len(occurrences_create())}


@task()
def events_offers_task() -> dict[str, int]:
    """Pass on offered places that were not claimed in time, and places pools released."""
    settled = events_offers_settle()
    return {"holders": settled.holders, "lapsed": settled.lapsed, "moved_up": settled.moved_up}
