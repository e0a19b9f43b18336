"""Background work of the notification centre, through Django's tasks framework.

With the immediate backend (the default) a task runs when it is enqueued; with
a worker backend it runs in the task worker. Either way the work itself is a
service, so `manage.py send_digests` and the tasks do the same thing.
"""

import logging
from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from .services import digests_send, notification_emails_retry, notification_emails_send

logger = logging.getLogger(__name__)

# A send that fails in the task worker (the mail server is down or slow to answer) is tried
# again after 1, 2, 4 and 8 minutes. After the last attempt the emails stay unsent in the
# database, where `send_pending_emails` (cron, every 10 minutes) still finds them.
EMAIL_SEND_ATTEMPTS = 5
EMAIL_SEND_FIRST_DELAY = timedelta(minutes=1)


def email_send_delay(attempt: int) -> timedelta:
    """How long to wait after failed attempt number ``attempt`` (1, 2, ...) before the next."""
    return EMAIL_SEND_FIRST_DELAY * 2 ** (attempt - 1)


@task()
def send_notification_emails_task(notification_ids: list[int], attempt: int = 1) -> int:
    """Email the notifications ``notify`` stored for people who want email at once.

    If sending fails and the backend can run a task later (a worker backend), the same
    notifications are queued again with a growing delay, the attempt counted in the queued
    task, and this run still fails so its result keeps the error. Nothing is marked sent
    until it is sent, so a retry sends each email once. The immediate backend cannot defer:
    there the failure is only recorded, as before, and ``send_pending_emails`` sends later.
    """
    try:
        return notification_emails_send(notification_ids=notification_ids)
    except Exception:
        _email_send_retry(notification_ids=notification_ids, attempt=attempt)
        raise


def _email_send_retry(*, notification_ids: list[int], attempt: int) -> None:
    backend = send_notification_emails_task.get_backend()
    if not backend.supports_defer:
        return
    if attempt >= EMAIL_SEND_ATTEMPTS:
        logger.warning(
            "Sending %d notification emails failed %d times; left to send_pending_emails",
            len(notification_ids),
            attempt,
        )
        return
    run_after = timezone.now() + email_send_delay(attempt)
    try:
        send_notification_emails_task.using(run_after=run_after).enqueue(
            notification_ids=notification_ids, attempt=attempt + 1
        )
    except Exception:
        # The emails are still unsent in the database: send_pending_emails finds them.
        logger.exception("Queueing a retry of %d notification emails failed", len(notification_ids))
        return
    logger.warning(
        "Sending %d notification emails failed (attempt %d); trying again after %s",
        len(notification_ids),
        attempt,
        run_after.isoformat(),
    )


@task()
def send_digests_task() -> dict[str, int]:
    """Send today's digests; safe to run any number of times a day."""
    result = digests_send()
    return {"digests": result.digests, "notifications": result.notifications}


@task()
def send_pending_emails_task() -> int:
    """Send the notification emails that were due at once but never went out."""
    return notification_emails_retry()
