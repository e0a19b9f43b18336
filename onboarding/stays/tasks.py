"""Background work of the stay registry, through Django's tasks framework.

The work itself is a service, so ``manage.py stays_retention`` and the task do
the same thing; either is safe to run any number of times.
"""

from django.tasks import task

from .services.registry import stays_erase_expired


@task()
def stays_retention_task() -> dict[str, int]:
    """Erase the personal details of the stays abroad that ended long enough ago."""
    return {"erased": stays_erase_expired()}
