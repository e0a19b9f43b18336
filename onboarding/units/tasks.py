"""Background work of units, through Django's tasks framework.

The work itself is a service, so ``manage.py completeness_notify`` and the
task do the same thing; either is safe to run any number of times.
"""

from django.tasks import task

from .completeness_services import completeness_notify


@task()
def completeness_notify_task() -> dict[str, int]:
    """Remind, once a month, the editors of each unit with too little in both languages."""
    result = completeness_notify()
    return {"below": result.below, "notified": result.notified}
