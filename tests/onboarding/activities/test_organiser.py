"""Organisers' messages to attendees, and calendar feeds."""

import pytest

from onboarding.activities.errors import OrganiserError
from onboarding.activities.models import CalendarFeed
from onboarding.activities.services import (
    calendar_feed_create,
    calendar_feed_revoke,
    event_message_send,
)
from onboarding.live.models import Notification
from tests.onboarding.activities.factories import event_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(unit):
    return event_create(unit, capacity=2, title_nb="Quizkveld", title_en="Quiz night")


def _send(event, sender, **kwargs):
    return event_message_send(event=event, sender=sender, **kwargs)


def test_a_message_reaches_everyone_with_a_place_in_their_language(event, people, editor):
    count = _send(event, editor, message_nb="Husk matpakke.", message_en="Bring lunch.")
    assert count == 2
    nb = Notification.objects.get(recipient=people["nb"], kind="organiser_message")
    en = Notification.objects.get(recipient=people["en"], kind="organiser_message")
    assert "Husk matpakke." in nb.body and "Quizkveld" in nb.subject
    assert "Bring lunch." in en.body and "Quiz night" in en.subject


def test_a_message_in_one_language_reaches_everyone(event, people, editor):
    _send(event, editor, message_en="Room changed to A2.")
    nb = Notification.objects.get(recipient=people["nb"], kind="organiser_message")
    assert "Room changed to A2." in nb.body


def test_the_waitlist_gets_it_only_when_asked(event, people, editor):
    _send(event, editor, message_en="Hello.")
    assert not Notification.objects.filter(recipient=people["waiting"]).exists()
    assert _send(event, editor, message_en="Hello again.", include_waitlist=True) == 3


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"message_nb": " ", "message_en": ""}, "message_empty"),
        ({"message_en": "x" * 2001}, "message_too_long"),
    ],
)
def test_bad_messages_are_refused(event, people, editor, fields, code):
    with pytest.raises(OrganiserError) as caught:
        _send(event, editor, **fields)
    assert caught.value.code == code
    assert not Notification.objects.filter(kind="organiser_message").exists()


def test_a_message_to_nobody_is_refused(unit, editor):
    empty = event_create(unit)
    with pytest.raises(OrganiserError) as caught:
        _send(empty, editor, message_en="Hello.")
    assert caught.value.code == "no_recipients"


@pytest.mark.parametrize("who", ["student", "other_editor"])
def test_only_organisers_may_write(event, people, who, request):
    sender = request.getfixturevalue(who)
    with pytest.raises(OrganiserError) as caught:
        _send(event, sender, message_en="Hello.")
    assert caught.value.code == "forbidden"


def test_international_section_staff_may_write(event, people, section_staff):
    assert _send(event, section_staff, message_en="Hello.") == 2


def test_a_feed_is_made_once(student):
    assert calendar_feed_create(user=student) == calendar_feed_create(user=student)


def test_a_revoked_feed_is_replaced_by_a_new_address(student):
    old = calendar_feed_create(user=student)
    assert calendar_feed_revoke(user=student) is True
    new = calendar_feed_create(user=student)
    assert new.token != old.token
    assert CalendarFeed.objects.get(pk=old.pk).revoked_at is not None


def test_a_units_organiser_checks_people_in_but_does_not_run_the_event(client, event, unit):
    """The check-in role of a unit's board: attendees and check-in, not messages or cancelling."""
    from django.urls import reverse

    from onboarding.units.services import unit_organiser_add
    from tests.factories import UserFactory

    organiser = unit_organiser_add(unit=unit, user=UserFactory(language="en")).user
    client.force_login(organiser)
    for name in ("activities:attendees", "activities:attendees_csv", "activities:checkin"):
        assert client.get(reverse(name, args=[event.pk])).status_code == 200, name
    for name in ("activities:message", "activities:cancel_event"):
        assert client.get(reverse(name, args=[event.pk])).status_code == 403, name
    with pytest.raises(OrganiserError):
        _send(event, organiser, message_en="Hello.")
    page = client.get(event.url).content.decode()
    assert reverse("activities:checkin", args=[event.pk]) in page
    assert reverse("activities:message", args=[event.pk]) not in page
