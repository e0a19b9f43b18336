"""Background work of crises, through Django's tasks framework.

The work itself is a service, so ``manage.py crisis_remind`` and the task do
the same thing; either is safe to run any number of times.
"""

from django.tasks import task

from .services.crisis import crisis_remind


@task()
def crisis_remind_task() -> dict[str, int]:
    """Remind, once per interval, the students who have not answered an open crisis's check."""
    result = crisis_remind()
    return {"crises": result.crises, "reminders": result.reminders}
