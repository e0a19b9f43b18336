"""Notification emails and digests address the person by their preferred name."""

import pytest
from django.core import mail
from django.utils import translation

from onboarding.live.services import digests_send, notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGED = {"event_title": {"nb": "Fadderuke", "en": "Buddy week"}, "changed": ["time"]}
NEW_EVENT = {
    "unit_name": {"nb": "Abakus", "en": "Abakus"},
    "event_title": {"nb": "Quiz", "en": "Quiz"},
}
GREETING = {"nb": "Hei, Kim!", "en": "Hi Kim,"}


def kim(language, **names):
    names = {"first_name": "Kyung-min", "preferred_name": "Kim", **names}
    return UserFactory(language=language, **names)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_notification_email_greets_by_the_preferred_name(
    language, django_capture_on_commit_callbacks
):
    person = kim(language)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[person], kind="event_changed", context=CHANGED)
    (message,) = mail.outbox
    assert message.body.startswith(GREETING[language])


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_digest_greets_by_the_preferred_name(language):
    person = kim(language)
    notify(
        recipients=UserFactory._meta.model.objects.filter(pk=person.pk),
        kind="unit_new_event",
        context=NEW_EVENT,
    )
    digests_send()
    (message,) = mail.outbox
    assert message.body.startswith(GREETING[language])


def test_a_person_without_a_name_gets_a_plain_greeting(django_capture_on_commit_callbacks):
    person = kim("en", first_name="", preferred_name="")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[person], kind="event_changed", context=CHANGED)
    (message,) = mail.outbox
    assert message.body.startswith("Hi,\n")
