"""People held back on the waitlist (``Booking.held``): they wait behind everyone else until the
holder's release moment, then in arrival order; an organiser may give them a free place."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from onboarding.activities.models import Signup
from onboarding.bookings import services
from onboarding.bookings.errors import BookingError
from onboarding.bookings.models import BookingStatus
from onboarding.bookings.pools import PersonFacts, PoolRule
from onboarding.bookings.selectors import waitlist_position, waitlist_positions
from tests.onboarding.activities.factories import event_create

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 10, 15, 12, 0, tzinfo=ZoneInfo("Europe/Oslo"))


def _book(event, person, *, hold=False, now=NOW):
    return services.booking_create(
        booking_model=Signup, holder_id=event.pk, person=person, hold=hold, now=now
    ).booking


def _event(unit, **fields):
    fields.setdefault("capacity", 2)
    fields.setdefault("waitlist_enabled", True)
    return event_create(unit, start_at=NOW + timedelta(days=3), **fields)


def test_a_held_booking_waits_although_a_place_is_free(unit, students):
    event = _event(unit)
    held = _book(event, students(1)[0], hold=True)
    assert held.status == BookingStatus.WAITLISTED and held.held
    # A place nobody else wants stays free until the release moment.
    assert services.waitlist_fill(booking_model=Signup, holder_id=event.pk, now=NOW).promoted == []
    assert Signup.objects.get(pk=held.pk).status == BookingStatus.WAITLISTED


def test_a_later_booking_without_a_hold_takes_the_free_place(unit, students):
    event = _event(unit, capacity=1)
    held_person, later = students(2)
    _book(event, held_person, hold=True)
    assert _book(event, later).status == BookingStatus.CONFIRMED


def test_a_freed_place_goes_to_the_waitlist_before_those_held_back(unit, students):
    event = _event(unit, capacity=1)
    first, held_person, later = students(3)
    place = _book(event, first)
    held = _book(event, held_person, hold=True)
    queued = _book(event, later)
    assert waitlist_position(booking=queued) == 1
    assert waitlist_position(booking=held) == 2
    assert waitlist_positions(booking_model=Signup, bookings=[held, queued]) == {
        held.pk: 2,
        queued.pk: 1,
    }
    result = services.booking_cancel(booking_model=Signup, booking_id=place.pk, now=NOW)
    assert [b.pk for b in result.promoted] == [queued.pk]
    assert Signup.objects.get(pk=held.pk).status == BookingStatus.WAITLISTED


def test_from_the_release_moment_held_bookings_are_served_in_arrival_order(unit, students):
    event = _event(unit, capacity=1)
    first, held_person, later = students(3)
    place = _book(event, first)
    held = _book(event, held_person, hold=True)
    _book(event, later)
    release = event.start_at - timedelta(hours=24)
    result = services.booking_cancel(booking_model=Signup, booking_id=place.pk, now=release)
    assert [b.pk for b in result.promoted] == [held.pk]


def test_past_the_release_moment_the_held_are_served_before_a_newcomer(unit, students):
    event = _event(unit, capacity=1)
    held_person, newcomer = students(2)
    held = _book(event, held_person, hold=True)
    release = event.start_at - timedelta(hours=24)
    result = services.booking_create(
        booking_model=Signup, holder_id=event.pk, person=newcomer, now=release
    )
    assert [b.pk for b in result.promoted] == [held.pk]
    assert result.booking.status == BookingStatus.WAITLISTED
    assert result.places.confirmed == 1 and result.places.waitlisted == 1


def test_a_hold_does_not_apply_past_the_release_moment(unit, students):
    event = _event(unit)
    booking = _book(event, students(1)[0], hold=True, now=event.start_at - timedelta(hours=2))
    assert booking.status == BookingStatus.CONFIRMED and not booking.held


def test_a_hold_does_not_apply_without_a_limit(unit, students):
    event = _event(unit, capacity=None)
    booking = _book(event, students(1)[0], hold=True)
    assert booking.status == BookingStatus.CONFIRMED and not booking.held


def test_a_hold_without_a_waitlist_is_refused(unit, students):
    event = _event(unit, waitlist_enabled=False)
    with pytest.raises(BookingError) as caught:
        _book(event, students(1)[0], hold=True)
    assert caught.value.code == "held_no_waitlist"
    assert not Signup.objects.filter(event=event).exists()


def test_the_counts_after_a_held_booking_are_right(unit, students):
    event = _event(unit)
    result = services.booking_create(
        booking_model=Signup, holder_id=event.pk, person=students(1)[0], hold=True, now=NOW
    )
    assert (result.places.confirmed, result.places.waitlisted, result.places.free) == (0, 1, 2)


def test_in_reserved_pools_the_held_wait_and_a_later_pool_member_takes_the_place(unit, students):
    event = _event(unit, capacity=2)
    event.pools = [("pool", {"rule": PoolRule.STATUS, "statuses": ["phd"], "places": 1})]
    event.save()
    key = event.booking_pools()[0].key
    phd = PersonFacts(status="phd")
    held_person, later = students(2)
    held = services.booking_create(
        booking_model=Signup, holder_id=event.pk, person=held_person, facts=phd, hold=True, now=NOW
    ).booking
    assert held.status == BookingStatus.WAITLISTED and held.pool == key
    taken = services.booking_create(
        booking_model=Signup, holder_id=event.pk, person=later, facts=phd, now=NOW
    ).booking
    assert taken.status == BookingStatus.CONFIRMED and taken.pool == key
    assert services.waitlist_fill(booking_model=Signup, holder_id=event.pk, now=NOW).promoted == []
    # By hand, the held person gets the place still free: an open one.
    given = services.held_place_give(booking_model=Signup, booking_id=held.pk, now=NOW).booking
    assert given.status == BookingStatus.CONFIRMED and given.pool == ""


def test_a_held_booking_can_be_given_a_free_place_by_hand(unit, students):
    event = _event(unit)
    held = _book(event, students(1)[0], hold=True)
    result = services.held_place_give(booking_model=Signup, booking_id=held.pk, now=NOW)
    assert result.booking.status == BookingStatus.CONFIRMED
    assert result.places.confirmed == 1 and result.places.waitlisted == 0
    assert [b.pk for b in result.promoted] == [held.pk]


def test_giving_a_place_by_hand_is_refused_when_none_is_free(unit, students):
    event = _event(unit, capacity=1)
    first, held_person = students(2)
    _book(event, first)
    held = _book(event, held_person, hold=True)
    with pytest.raises(BookingError) as caught:
        services.held_place_give(booking_model=Signup, booking_id=held.pk, now=NOW)
    assert caught.value.code == "full"
    assert Signup.objects.get(pk=held.pk).status == BookingStatus.WAITLISTED


def test_only_a_held_booking_can_be_given_a_place_by_hand(unit, students):
    event = _event(unit, capacity=1)
    first, second = students(2)
    _book(event, first)
    queued = _book(event, second)
    with pytest.raises(BookingError) as caught:
        services.held_place_give(booking_model=Signup, booking_id=queued.pk, now=NOW)
    assert caught.value.code == "not_held"
