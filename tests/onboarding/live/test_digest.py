"""The daily digest: one email a day per person, in their language, never twice."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone

from onboarding.live.kinds import Channel
from onboarding.live.models import DigestRun, Notification
from onboarding.live.services import digests_send, notify, preference_set
from onboarding.live.tasks import send_digests_task

pytestmark = pytest.mark.django_db

TITLE = {"nb": "Fadderuke", "en": "Buddy week"}


def new_event(user, title=TITLE):
    """A notification of a kind that goes to the digest by default."""
    return notify(
        recipients=[user],
        kind="unit_new_event",
        context={"unit_name": {"nb": "Abakus", "en": "Abakus"}, "event_title": title},
    )


def test_pending_notifications_go_out_in_one_email_in_the_persons_language(nb_user):
    new_event(nb_user)
    new_event(nb_user, {"nb": "Quiz", "en": "Quiz"})

    result = digests_send()

    assert (result.digests, result.notifications) == (1, 2)
    (email,) = mail.outbox
    assert email.to == [nb_user.email]
    assert email.subject == "[Velkommen] Sammendrag fra Velkommen: 2 nye varsler"
    assert "Nytt arrangement fra Abakus: Fadderuke" in email.body
    assert "Nytt arrangement fra Abakus: Quiz" in email.body
    assert "/nb/varsler/innstillinger/" in email.body


def test_an_english_reader_gets_an_english_digest(en_user):
    new_event(en_user)

    digests_send()

    (email,) = mail.outbox
    assert email.subject == "[Velkommen] Your Velkommen summary: 1 new notification"
    assert "New event from Abakus: Buddy week" in email.body


def test_running_twice_sends_nothing_new(en_user):
    new_event(en_user)
    digests_send()

    result = digests_send()

    assert (result.digests, result.notifications) == (0, 0)
    assert len(mail.outbox) == 1


def test_a_person_gets_at_most_one_digest_a_day(en_user):
    new_event(en_user)
    digests_send()
    later = new_event(en_user, {"nb": "Quiz", "en": "Quiz"})[0]

    digests_send()

    assert len(mail.outbox) == 1
    later.refresh_from_db()
    assert later.digested_at is None


def test_what_came_after_todays_digest_goes_out_tomorrow(en_user):
    new_event(en_user)
    digests_send()
    new_event(en_user, {"nb": "Quiz", "en": "Quiz"})

    result = digests_send(now=timezone.now() + timedelta(days=1))

    assert result.notifications == 1
    assert len(mail.outbox) == 2
    assert "Quiz" in mail.outbox[1].body
    assert "Buddy week" not in mail.outbox[1].body
    assert DigestRun.objects.filter(user=en_user).count() == 2


def test_each_person_gets_only_their_own_notifications(en_user, nb_user):
    new_event(en_user)
    new_event(nb_user, {"nb": "Quiz", "en": "Quiz"})

    digests_send()

    by_address = {email.to[0]: email for email in mail.outbox}
    assert "Buddy week" in by_address[en_user.email].body
    assert "Quiz" not in by_address[en_user.email].body
    assert "Quiz" in by_address[nb_user.email].body


def test_notifications_already_read_are_left_out(en_user):
    (read,) = new_event(en_user)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())

    result = digests_send()

    assert result.digests == 0
    assert mail.outbox == []
    assert not DigestRun.objects.exists()


def test_notifications_for_the_site_or_email_are_never_in_a_digest(en_user):
    preference_set(user=en_user, kind="unit_new_event", channel=Channel.SITE)
    new_event(en_user)

    assert digests_send().digests == 0


def test_a_failed_send_leaves_the_notifications_for_the_next_run(en_user, monkeypatch):
    (notification,) = new_event(en_user)

    def fail(self, messages):
        raise OSError("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", fail)
        assert digests_send().digests == 0

    notification.refresh_from_db()
    assert notification.digested_at is None
    assert not DigestRun.objects.exists()
    assert digests_send().digests == 1


def test_the_command_sends_the_digests_once(en_user, capsys):
    new_event(en_user)

    call_command("send_digests")
    call_command("send_digests")

    assert len(mail.outbox) == 1
    output = capsys.readouterr().out
    assert "Sent 1 digest(s) holding 1 notification(s)." in output
    assert "Sent 0 digest(s) holding 0 notification(s)." in output


def test_the_command_can_hand_the_work_to_the_task_backend(en_user, capsys):
    new_event(en_user)

    call_command("send_digests", "--enqueue")

    assert "Queued send_digests_task" in capsys.readouterr().out
    assert len(mail.outbox) == 1  # the immediate backend ran it


def test_the_task_runs_the_same_service(en_user):
    new_event(en_user)

    result = send_digests_task.enqueue()

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"digests": 1, "notifications": 1}
    assert len(mail.outbox) == 1
