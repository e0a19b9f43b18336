"""A worker backend retries failed notification emails with a growing delay, and never loses one."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.tasks import default_task_backend
from django.test import override_settings
from django.utils import timezone

from onboarding.live.models import Notification
from onboarding.live.services import notification_emails_retry, notify
from onboarding.live.tasks import (
    EMAIL_SEND_ATTEMPTS,
    email_send_delay,
    send_notification_emails_task,
)

pytestmark = pytest.mark.django_db

CHANGED = {"event_title": {"nb": "Fadderuke", "en": "Buddy week"}, "changed": ["time"]}
# A backend that keeps what is queued and can run it later, as a worker backend does;
# the tests play the worker.
DEFERRING = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def _mail_down():
    """Every message is refused, as by a mail server that is down."""
    return mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=ConnectionRefusedError,
    )


def _queued():
    return [
        r for r in default_task_backend.results if r.task.name == "send_notification_emails_task"
    ]


def _work_one():
    """Run the oldest queued email task as the worker would, then drop it from the queue."""
    result = _queued()[0]
    default_task_backend.results.remove(result)
    try:
        result.task.call(*result.args, **result.kwargs)
    except ConnectionRefusedError:
        return "failed"
    return "done"


@pytest.fixture
def deferring_backend():
    with override_settings(TASKS=DEFERRING):
        default_task_backend.clear()
        yield default_task_backend
        default_task_backend.clear()


def _notify(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=people, kind="event_changed", context=CHANGED)


def test_delays_grow():
    delays = [email_send_delay(attempt) for attempt in range(1, EMAIL_SEND_ATTEMPTS)]
    assert delays == sorted(delays)
    assert delays[0] == timedelta(minutes=1)
    assert all(later == 2 * earlier for earlier, later in zip(delays, delays[1:], strict=False))


def test_a_failed_send_is_queued_again_later_and_then_sent_once(
    deferring_backend, en_user, nb_user, django_capture_on_commit_callbacks
):
    _notify([en_user, nb_user], django_capture_on_commit_callbacks)
    assert len(_queued()) == 1

    waits = []
    for _ in range(2):
        before = timezone.now()
        with _mail_down():
            assert _work_one() == "failed"
        (retry,) = _queued()
        waits.append(retry.task.run_after - before)
        assert Notification.objects.filter(emailed_at__isnull=True).count() == 2
    assert mail.outbox == []
    assert waits[1] > waits[0] >= timedelta(minutes=1)
    assert _queued()[0].kwargs["attempt"] == 3

    assert _work_one() == "done"
    assert _queued() == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted([en_user.email, nb_user.email])
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()

    # The safety net finds nothing left to send: each email went out once.
    assert notification_emails_retry(now=timezone.now() + timedelta(minutes=15)) == 0
    assert len(mail.outbox) == 2


def test_after_the_last_attempt_the_email_waits_for_send_pending_emails(
    deferring_backend, en_user, django_capture_on_commit_callbacks
):
    _notify([en_user], django_capture_on_commit_callbacks)

    with _mail_down():
        for _ in range(EMAIL_SEND_ATTEMPTS):
            assert _work_one() == "failed"
    assert _queued() == []
    assert Notification.objects.get().emailed_at is None

    assert notification_emails_retry(now=timezone.now() + timedelta(minutes=15)) == 1
    assert [m.to[0] for m in mail.outbox] == [en_user.email]


def test_an_email_sent_meanwhile_is_not_sent_again_by_the_retry(
    deferring_backend, en_user, django_capture_on_commit_callbacks
):
    _notify([en_user], django_capture_on_commit_callbacks)
    with _mail_down():
        _work_one()
    assert notification_emails_retry(now=timezone.now() + timedelta(minutes=15)) == 1

    assert _work_one() == "done"
    assert len(mail.outbox) == 1


def test_the_immediate_backend_queues_no_retry(en_user, django_capture_on_commit_callbacks):
    with _mail_down():
        _notify([en_user], django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert Notification.objects.get().emailed_at is None
    assert send_notification_emails_task.get_backend().supports_defer is False
