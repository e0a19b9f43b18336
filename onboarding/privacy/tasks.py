"""Background work of privacy, through Django's tasks framework.

The work itself is a service, so ``manage.py privacy_retention`` and the task
do the same thing; either is safe to run any number of times.
"""

from django.tasks import task

from .services import retention_apply


@task()
def privacy_retention_task() -> dict[str, int]:
    """Erase what the personal-data register says has expired; returns the counts per model."""
    return retention_apply()
