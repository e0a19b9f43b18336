"""Background work of course approval, through Django's tasks framework.

The work itself is a service, so ``manage.py approvals_escalate`` and the task do
the same thing; either is safe to run any number of times.
"""

from django.tasks import task

from .services.cases import cases_escalate


@task()
def approvals_escalate_task() -> dict[str, int]:
    """Send each late pre-approval case to its accountable unit, once."""
    return {"escalated": cases_escalate()}
