"""Background work of the notification centre, through Django's tasks framework.

With the immediate backend (the default) a task runs when it is enqueued; with
a worker backend it runs in the task worker. Either way the work itself is a
service, so `manage.py send_digests` and the tasks do the same thing.
"""

from django.tasks import task

from .services import digests_send, notification_emails_retry, notification_emails_send


@task()
def send_notification_emails_task(notification_ids: list[int]) -> int:
    """Email the notifications ``notify`` stored for people who want email at once."""
    return notification_emails_send(notification_ids=notification_ids)


@task()
def send_digests_task() -> dict[str, int]:
    """Send today's digests; safe to run any number of times a day."""
    result = digests_send()
    return {"digests": result.digests, "notifications": result.notifications}


@task()
def send_pending_emails_task() -> int:
    """Send the notification emails that were due at once but never went out."""
    return notification_emails_retry()
