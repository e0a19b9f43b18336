"""Background work of checklists, through Django's tasks framework.

The work itself is a service, so ``manage.py send_reminders`` and the task do
the same thing; either is safe to run any number of times a day.
"""

from django.tasks import task

from .services import reminders_send


@task()
def send_reminders_task() -> dict[str, int]:
    """Remind students of checklist items due within three days or overdue (once a day each)."""
    result = reminders_send()
    return {"students": result.students, "items": result.items}
