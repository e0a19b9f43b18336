"""Emails due at once that never went out are sent later, once, and only while still useful."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from onboarding.live.models import Notification
from onboarding.live.services import notification_emails_retry, notify

pytestmark = pytest.mark.django_db

CHANGED = {"event_title": {"nb": "Fadderuke", "en": "Buddy week"}, "changed": ["time"]}


def _mail_down():
    """The test mail backend refuses every message, as a mail server that is down does."""
    return mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=ConnectionRefusedError,
    )


def _notify_while_mail_is_down(people, django_capture_on_commit_callbacks):
    """notify() commits, but the mail server refuses the emails it queues."""
    with (
        _mail_down(),
        django_capture_on_commit_callbacks(execute=True),
    ):
        return notify(recipients=people, kind="event_changed", context=CHANGED)


def test_an_email_that_failed_is_sent_by_the_next_run_once(
    en_user, nb_user, django_capture_on_commit_callbacks
):
    _notify_while_mail_is_down([en_user, nb_user], django_capture_on_commit_callbacks)
    assert mail.outbox == []
    later = timezone.now() + timedelta(minutes=15)

    assert notification_emails_retry(now=later) == 2
    assert notification_emails_retry(now=later) == 0

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [en_user.email, nb_user.email]
    )
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_fresh_email_is_left_to_the_task_that_is_sending_it(
    en_user, django_capture_on_commit_callbacks
):
    _notify_while_mail_is_down([en_user], django_capture_on_commit_callbacks)

    assert notification_emails_retry(now=timezone.now() + timedelta(minutes=2)) == 0
    assert mail.outbox == []


def test_an_email_older_than_two_days_is_given_up(en_user, django_capture_on_commit_callbacks):
    _notify_while_mail_is_down([en_user], django_capture_on_commit_callbacks)

    assert notification_emails_retry(now=timezone.now() + timedelta(days=3)) == 0
    assert mail.outbox == []


def test_site_only_and_digest_notifications_are_not_emailed(en_user):
    notify(recipients=[en_user], kind="event_changed", context=CHANGED, email=False)
    Notification.objects.update(delivery="site")

    assert notification_emails_retry(now=timezone.now() + timedelta(minutes=15)) == 0


def test_notifications_stored_without_email_are_never_emailed_later(en_user):
    notify(recipients=[en_user], kind="event_changed", context=CHANGED, email=False)
    notify(recipients=[en_user], kind="unit_new_event", context={}, email=False)

    assert set(Notification.objects.values_list("delivery", flat=True)) == {"site"}
    assert notification_emails_retry(now=timezone.now() + timedelta(minutes=15)) == 0
    assert mail.outbox == []


def test_a_failing_run_loses_nothing(en_user, django_capture_on_commit_callbacks):
    _notify_while_mail_is_down([en_user], django_capture_on_commit_callbacks)
    later = timezone.now() + timedelta(minutes=15)
    with _mail_down():
        assert notification_emails_retry(now=later) == 0

    assert notification_emails_retry(now=later) == 1
    assert len(mail.outbox) == 1


def test_the_command_reports_what_it_sent(en_user, django_capture_on_commit_callbacks):
    _notify_while_mail_is_down([en_user], django_capture_on_commit_callbacks)
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=30))
    out = StringIO()

    call_command("send_pending_emails", stdout=out)

    assert out.getvalue().strip() == "Sent 1 pending notification email(s)."
    assert len(mail.outbox) == 1
