"""The holder page mixin that events and Norwegian courses share: what a save changed, and the
capacity refused below the places already given."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from onboarding.activities.models import EventPage, Signup
from onboarding.activities.services import signup_create
from onboarding.bookings.pages import HolderPage
from onboarding.courses.models import Enrolment, NorwegianCoursePage
from tests.onboarding.activities.factories import event_create

pytestmark = [pytest.mark.stack, pytest.mark.django_db]


def test_events_and_courses_are_holder_pages_of_their_bookings():
    assert issubclass(EventPage, HolderPage) and issubclass(NorwegianCoursePage, HolderPage)
    assert EventPage.booking_model() is Signup
    assert NorwegianCoursePage.booking_model() is Enrolment


def test_a_save_notes_what_it_changed_once(unit):
    event = event_create(unit, capacity=5)
    event.start_at += timedelta(hours=1)
    event.room = "A2"
    event.capacity = 6
    event.save()

    assert event.published_changes() == ["time", "place", "capacity"]
    assert event.published_changes() == []


def test_an_unchanged_save_changes_nothing(unit):
    event = event_create(unit, capacity=5)
    event.save()

    assert event.published_changes() == []


def test_a_capacity_below_the_places_given_is_refused(unit, students):
    event = event_create(unit, capacity=3)
    for person in students(2):
        signup_create(event=event, user=person)
    event.capacity = 1

    with pytest.raises(ValidationError) as caught:
        event.full_clean()
    assert "capacity" in caught.value.message_dict
    with pytest.raises(ValidationError):
        event.save()
