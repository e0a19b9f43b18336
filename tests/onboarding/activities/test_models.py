"""The event page's own rules, checked before it can be saved or published."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import translation

from onboarding.activities.errors import SignupError
from onboarding.activities.models import EventPage, format_ticket_code, normalise_ticket_code
from onboarding.activities.services import calendar_feed_create
from tests.onboarding.activities.factories import event_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(unit):
    return event_create(unit, publish=False)


def _errors(event):
    with pytest.raises(ValidationError) as caught:
        event.full_clean()
    return caught.value.message_dict


def test_an_event_must_end_after_it_starts(event):
    event.end_at = event.start_at
    assert "end_at" in _errors(event)


def test_an_event_needs_a_building_or_an_online_link(event):
    event.building = ""
    assert "building" in _errors(event)
    event.online_url = "https://video.example.org/a"
    event.full_clean()


def test_signup_must_close_after_it_opens(event):
    event.signup_opens_at = event.start_at - timedelta(days=2)
    event.signup_closes_at = event.start_at - timedelta(days=3)
    assert "signup_closes_at" in _errors(event)


def test_signup_must_open_before_the_start(event):
    event.signup_opens_at = event.start_at
    assert "signup_opens_at" in _errors(event)


def test_signup_must_close_by_the_end(event):
    event.signup_closes_at = event.end_at + timedelta(minutes=1)
    assert "signup_closes_at" in _errors(event)


def test_the_cancellation_deadline_must_be_by_the_end(event):
    event.cancellation_deadline = event.end_at + timedelta(minutes=1)
    assert "cancellation_deadline" in _errors(event)


def test_audience_statuses_come_from_the_list(event):
    event.audience_statuses = ["astronaut"]
    assert "audience_statuses" in _errors(event)


def test_capacity_is_at_least_one(event):
    event.capacity = 0
    assert "capacity" in _errors(event)


def test_place_label_names_building_room_and_online(event):
    event.online_url = "https://video.example.org/a"
    with translation.override("en"):
        assert event.place_label == "Realfagbygget, A4-112 · online"
        event.building = event.room = ""
        assert event.place_label == "Online"


def test_ticket_codes_are_printed_in_groups_and_read_back_as_typed():
    assert format_ticket_code("K7QXM2PDR9TW") == "K7QX-M2PD-R9TW"
    assert normalise_ticket_code(" k7qx-m2pd r9tw ") == "K7QXM2PDR9TW"


def test_an_anonymous_person_gets_no_calendar_feed(db):
    with pytest.raises(SignupError) as caught:
        calendar_feed_create(user=AnonymousUser())
    assert caught.value.code == "login_required"


def test_an_event_cannot_expire_before_it_ends(event):
    event.expire_at = event.end_at - timedelta(minutes=1)
    with translation.override("en"):
        assert "cancel it, which tells the people signed up" in _errors(event)["expire_at"][0]
    with translation.override("nb"):
        assert "så får de påmeldte beskjed" in _errors(event)["expire_at"][0]
    event.expire_at = event.end_at
    event.full_clean()


def test_the_expiry_error_lands_on_the_admin_forms_own_field():
    form_class = EventPage.get_edit_handler().get_form_class()
    assert "expire_at" in form_class.base_fields
