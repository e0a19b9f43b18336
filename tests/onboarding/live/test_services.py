"""notify and the other services: language, preferences, email, live hints, bounded queries."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from onboarding.live import services
from onboarding.live.kinds import Channel
from onboarding.live.models import Delivery, Notification, NotificationPreference
from onboarding.live.services import (
    NotificationError,
    TopicError,
    notification_emails_send,
    notification_mark_all_read,
    notification_mark_read,
    notify,
    preference_set,
    topic_publish,
)
from onboarding.live.topics import BROADCAST_GROUP
from tests.factories import UserFactory

from .conftest import listen, next_message

pytestmark = [pytest.mark.stack, pytest.mark.django_db]

TITLE = {"nb": "Fadderuke", "en": "Buddy week"}
CHANGED = {"event_title": TITLE, "changed": ["time"]}


def notify_changed(recipients, **kwargs):
    return notify(recipients=recipients, kind="event_changed", context=CHANGED, **kwargs)


# --- Language ---------------------------------------------------------------------------


def test_each_recipient_gets_the_notification_in_their_own_language(nb_user, en_user):
    notify_changed([nb_user, en_user])

    by_user = {n.recipient_id: n for n in Notification.objects.all()}
    assert by_user[nb_user.pk].subject == "Fadderuke er endret"
    assert by_user[nb_user.pk].language == "nb"
    assert by_user[en_user.pk].subject == "Buddy week has changed"
    assert by_user[en_user.pk].language == "en"


@pytest.mark.parametrize("sender_language", ["nb", "en"])
def test_the_senders_language_does_not_decide_the_recipients(nb_user, en_user, sender_language):
    with translation.override(sender_language):
        notify_changed([nb_user, en_user])

        assert translation.get_language() == sender_language
    subjects = dict(Notification.objects.values_list("recipient_id", "subject"))
    assert subjects == {nb_user.pk: "Fadderuke er endret", en_user.pk: "Buddy week has changed"}


def test_the_link_is_in_the_recipients_language(nb_user, en_user):
    url = {"nb": "/nb/arrangementer/fadderuke/", "en": "/en/events/buddy-week/"}

    notify_changed([nb_user, en_user], url=url)

    links = dict(Notification.objects.values_list("recipient_id", "url"))
    assert links == {nb_user.pk: url["nb"], en_user.pk: url["en"]}


def test_the_context_is_stored_as_given(en_user):
    (notification,) = notify_changed([en_user])

    notification.refresh_from_db()
    assert notification.context == CHANGED
    assert notification.kind == "event_changed"


# --- Recipients -------------------------------------------------------------------------


def test_a_queryset_of_recipients_is_accepted(nb_user, en_user):
    created = notify_changed(get_user_model().objects.filter(pk__in=[nb_user.pk, en_user.pk]))

    assert {n.recipient_id for n in created} == {nb_user.pk, en_user.pk}


def test_a_person_listed_twice_gets_one_notification(en_user):
    notify_changed([en_user, en_user])

    assert Notification.objects.filter(recipient=en_user).count() == 1


def test_an_inactive_account_gets_nothing(db):
    inactive = UserFactory(is_active=False)

    assert notify_changed([inactive]) == []
    assert not Notification.objects.exists()


def test_no_recipients_is_no_notification(db):
    assert notify_changed([]) == []


# --- Bad input --------------------------------------------------------------------------


def test_an_unknown_kind_is_refused(en_user):
    with pytest.raises(NotificationError) as error:
        notify(recipients=[en_user], kind="no_such_kind", context={})

    assert error.value.code == "unknown_kind"
    assert not Notification.objects.exists()


def test_a_context_that_is_not_json_is_refused(en_user):
    with pytest.raises(NotificationError) as error:
        notify(recipients=[en_user], kind="event_changed", context={"event_title": object()})

    assert error.value.code == "invalid_context"
    assert not Notification.objects.exists()


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_a_link_off_the_site_is_refused(en_user, url):
    with pytest.raises(NotificationError) as error:
        notify_changed([en_user], url=url)

    assert error.value.code == "invalid_url"
    assert not Notification.objects.exists()


def test_each_recipient_s_own_part_is_added_to_their_copy_alone(nb_user, en_user):
    asked = []

    def personal(user, language):
        asked.append((user.pk, language))
        return f"Your code: {user.pk}", f"/{language}/own/{user.pk}/"

    notify_changed([nb_user, en_user], url="/en/events/", personal=personal)

    assert sorted(asked) == sorted([(nb_user.pk, "nb"), (en_user.pk, "en")])
    copies = {n.recipient_id: n for n in Notification.objects.all()}
    for user, language in ((nb_user, "nb"), (en_user, "en")):
        assert copies[user.pk].body.endswith(f"\n\nYour code: {user.pk}")
        assert copies[user.pk].url == f"/{language}/own/{user.pk}/"
    assert "Your code" not in copies[nb_user.pk].subject


def test_an_own_link_off_the_site_is_refused_and_nothing_is_stored(en_user):
    with pytest.raises(NotificationError) as error:
        notify_changed([en_user], personal=lambda user, language: ("", "https://evil.example/"))

    assert error.value.code == "invalid_url"
    assert not Notification.objects.exists()


def test_recipients_must_be_users(db):
    with pytest.raises(NotificationError) as error:
        notify_changed(["someone@example.org"])

    assert error.value.code == "invalid_recipient"


# --- Preferences ------------------------------------------------------------------------


def test_without_a_preference_the_kinds_default_channel_is_used(
    en_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = notify_changed([en_user])

    assert notification.delivery == Delivery.EMAIL
    assert len(mail.outbox) == 1


def test_site_only_stores_without_email(en_user, django_capture_on_commit_callbacks):
    preference_set(user=en_user, kind="event_changed", channel=Channel.SITE)

    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = notify_changed([en_user])

    assert notification.delivery == Delivery.SITE
    assert mail.outbox == []


def test_digest_stores_for_the_digest_without_email(en_user, django_capture_on_commit_callbacks):
    preference_set(user=en_user, kind="event_changed", channel=Channel.DIGEST)

    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = notify_changed([en_user])

    assert notification.delivery == Delivery.DIGEST
    assert mail.outbox == []


def test_off_means_no_notification(en_user, nb_user):
    preference_set(user=en_user, kind="event_changed", channel=Channel.OFF)

    created = notify_changed([en_user, nb_user])

    assert [n.recipient_id for n in created] == [nb_user.pk]
    assert not Notification.objects.filter(recipient=en_user).exists()


def test_a_mandatory_kind_cannot_be_turned_off(en_user):
    with pytest.raises(NotificationError) as error:
        preference_set(user=en_user, kind="event_cancelled", channel=Channel.OFF)

    assert error.value.code == "mandatory_kind"
    assert not NotificationPreference.objects.exists()


def test_a_mandatory_kind_reaches_people_even_with_an_off_row_stored(en_user):
    # A row written before the kind became mandatory, or by hand.
    NotificationPreference.objects.create(user=en_user, kind="event_cancelled", channel="off")

    created = notify(recipients=[en_user], kind="event_cancelled", context={"event_title": TITLE})

    assert len(created) == 1
    assert created[0].delivery == Delivery.EMAIL


def test_a_mandatory_kind_honours_the_chosen_channel(en_user):
    preference_set(user=en_user, kind="waitlist_place_given", channel=Channel.DIGEST)

    (notification,) = notify(
        recipients=[en_user], kind="waitlist_place_given", context={"event_title": TITLE}
    )

    assert notification.delivery == Delivery.DIGEST


def test_choosing_again_replaces_the_preference(en_user):
    preference_set(user=en_user, kind="event_changed", channel=Channel.SITE)
    preference_set(user=en_user, kind="event_changed", channel=Channel.DIGEST)

    assert list(NotificationPreference.objects.values_list("kind", "channel")) == [
        ("event_changed", "digest")
    ]


def test_an_unknown_channel_is_refused(en_user):
    with pytest.raises(NotificationError) as error:
        preference_set(user=en_user, kind="event_changed", channel="pigeon")

    assert error.value.code == "unknown_channel"


def test_a_preference_for_an_unknown_kind_is_refused(en_user):
    with pytest.raises(NotificationError) as error:
        preference_set(user=en_user, kind="no_such_kind", channel=Channel.SITE)

    assert error.value.code == "unknown_kind"


# --- Email ------------------------------------------------------------------------------


def test_the_email_is_in_the_recipients_language(
    nb_user, en_user, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notify_changed([nb_user, en_user], url={"nb": "/nb/a/", "en": "/en/a/"})

    by_address = {message.to[0]: message for message in mail.outbox}
    norwegian, english = by_address[nb_user.email], by_address[en_user.email]
    assert norwegian.subject == "[Velkommen] Fadderuke er endret"
    assert "Hei, Kari!" in norwegian.body
    assert "/nb/varsler/innstillinger/" in norwegian.body
    assert "/nb/a/" in norwegian.body
    assert english.subject == "[Velkommen] Buddy week has changed"
    assert "Hi Ana," in english.body
    assert "/en/notifications/preferences/" in english.body
    assert "/en/a/" in english.body


def test_emails_are_sent_only_after_the_transaction_commits(
    en_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify_changed([en_user])

        assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_a_rolled_back_notify_sends_nothing(en_user, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify_changed([en_user])
        raise RuntimeError("the caller's transaction fails")

    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_an_emailed_notification_is_never_emailed_twice(
    en_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = notify_changed([en_user])

    assert notification_emails_send(notification_ids=[notification.pk]) == 0
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_email_false_stores_and_pushes_without_email(en_user, django_capture_on_commit_callbacks):
    channel = listen(f"user.{en_user.pk}")

    with django_capture_on_commit_callbacks(execute=True):
        notify_changed([en_user], email=False)

    assert mail.outbox == []
    assert next_message(channel) == {"type": "notification.hint", "unread": 1}


# --- Live hints -------------------------------------------------------------------------


def test_each_recipient_gets_a_hint_with_their_unread_count(
    nb_user, en_user, django_capture_on_commit_callbacks
):
    notify_changed([nb_user])  # nb_user already has one unread
    nb_channel, en_channel = listen(f"user.{nb_user.pk}"), listen(f"user.{en_user.pk}")

    with django_capture_on_commit_callbacks(execute=True):
        notify_changed([nb_user, en_user])

    assert next_message(nb_channel) == {"type": "notification.hint", "unread": 2}
    assert next_message(en_channel) == {"type": "notification.hint", "unread": 1}


def test_a_notify_to_many_sends_one_message_with_each_recipients_count(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "BROADCAST_MIN_RECIPIENTS", 3)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    notify_changed([first])
    channel = listen(BROADCAST_GROUP)

    with django_capture_on_commit_callbacks(execute=True):
        notify_changed([first, second, third])

    assert next_message(channel) == {
        "type": "notification.batch",
        "unread": {str(first.pk): 2, str(second.pk): 1, str(third.pk): 1},
    }
    assert next_message(channel, timeout=0.2) is None


def test_a_notify_to_few_uses_each_persons_own_group(
    en_user, nb_user, django_capture_on_commit_callbacks
):
    channel = listen(BROADCAST_GROUP)

    with django_capture_on_commit_callbacks(execute=True):
        notify_changed([en_user, nb_user])

    assert next_message(channel, timeout=0.2) is None


def test_the_hint_leaves_only_after_commit(en_user, django_capture_on_commit_callbacks):
    channel = listen(f"user.{en_user.pk}")

    with django_capture_on_commit_callbacks(execute=False):
        notify_changed([en_user])

    assert next_message(channel, timeout=0.2) is None


# --- Bounded queries --------------------------------------------------------------------


def _people(count):
    users = get_user_model().objects.bulk_create(
        get_user_model()(email=f"many{count}-{i}@example.org", language=("nb", "en")[i % 2])
        for i in range(count)
    )
    return get_user_model().objects.filter(pk__in=[u.pk for u in users])


def _queries_for_notify(recipients, capture_callbacks):
    with (
        CaptureQueriesContext(connection) as queries,
        capture_callbacks(execute=True),
    ):
        notify_changed(recipients, url={"nb": "/nb/a/", "en": "/en/a/"})
    return len(queries)


def test_notify_to_a_thousand_makes_as_many_queries_as_to_ten(
    db, django_capture_on_commit_callbacks
):
    few = _queries_for_notify(_people(10), django_capture_on_commit_callbacks)
    mail.outbox.clear()

    many = _queries_for_notify(_people(1000), django_capture_on_commit_callbacks)

    assert Notification.objects.count() == 1010
    assert len(mail.outbox) == 1000
    assert many == few


def test_notify_to_a_list_of_users_makes_as_many_queries_as_to_a_queryset_of_them(
    db, django_capture_on_commit_callbacks
):
    few = _queries_for_notify(list(_people(5)), django_capture_on_commit_callbacks)

    many = _queries_for_notify(list(_people(50)), django_capture_on_commit_callbacks)

    assert many == few


# --- Reading ----------------------------------------------------------------------------


def test_marking_read_records_when_and_updates_open_pages(
    en_user, django_capture_on_commit_callbacks
):
    first, second = notify_changed([en_user]) + notify_changed([en_user])
    channel = listen(f"user.{en_user.pk}")

    with django_capture_on_commit_callbacks(execute=True):
        notification_mark_read(user=en_user, notification=first)

    first.refresh_from_db()
    assert first.read_at is not None
    assert next_message(channel) == {"type": "notification.hint", "unread": 1}


def test_marking_someone_elses_notification_is_refused(en_user, nb_user):
    (notification,) = notify_changed([en_user])

    with pytest.raises(NotificationError) as error:
        notification_mark_read(user=nb_user, notification=notification)

    assert error.value.code == "not_recipient"
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_read_twice_keeps_the_first_time(en_user):
    (notification,) = notify_changed([en_user])
    notification_mark_read(user=en_user, notification=notification)
    first_time = Notification.objects.get().read_at

    notification_mark_read(user=en_user, notification=Notification.objects.get(pk=notification.pk))

    assert Notification.objects.get().read_at == first_time


def test_mark_all_read_touches_only_the_users_own(en_user, nb_user):
    notify_changed([en_user, nb_user])
    notify_changed([en_user])

    assert notification_mark_all_read(user=en_user) == 2

    assert not Notification.objects.filter(recipient=en_user, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=nb_user, read_at__isnull=True).count() == 1


# --- Topics -----------------------------------------------------------------------------


def test_a_topic_message_reaches_the_topics_group_after_commit(
    db, django_capture_on_commit_callbacks
):
    channel = listen("topic.event.42")

    with django_capture_on_commit_callbacks(execute=True):
        topic_publish(topic="event:42", payload={"type": "event.seats", "event": 42, "free": 3})

    assert next_message(channel) == {
        "type": "topic.message",
        "topic": "event:42",
        "data": {"type": "event.seats", "event": 42, "free": 3},
    }


@pytest.mark.parametrize("topic", ["event", "event:", "Event:1", "event:4 2", "a:" + "x" * 61])
def test_a_malformed_topic_is_refused(db, topic):
    with pytest.raises(TopicError) as error:
        topic_publish(topic=topic, payload={})

    assert error.value.code == "topic_invalid"


def test_a_payload_that_is_not_json_is_refused(db):
    with pytest.raises(TopicError) as error:
        topic_publish(topic="event:1", payload={"when": object()})

    assert error.value.code == "invalid_payload"
