"""The booking engine and a holder's capacity as editors change it (on events)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.transaction import TransactionManagementError

from onboarding.activities.models import EventPage, Signup
from onboarding.activities.services import signup_create
from onboarding.bookings import selectors as capacity_reads
from onboarding.bookings import services as capacity
from onboarding.bookings.errors import BookingError
from onboarding.bookings.models import BookingStatus
from onboarding.live.models import Notification
from tests.onboarding.activities.conftest import lean_tree
from tests.onboarding.activities.factories import event_create

pytestmark = [pytest.mark.stack, pytest.mark.django_db]


@pytest.fixture
def tree(site_tree):
    """Built per test: this module has transactional tests, which see only committed data."""
    return lean_tree(site_tree["home"])


def _signed_up(event, people):
    return [signup_create(event=event, user=person) for person in people]


def test_places_count_confirmed_and_waitlisted(unit, students):
    event = event_create(unit, capacity=2)
    _signed_up(event, students(3))
    places = capacity_reads.places_get(booking_model=Signup, holder=event)
    assert (places.capacity, places.confirmed, places.waitlisted, places.free) == (2, 2, 1, 0)
    assert places.is_full


def test_places_of_many_events_take_one_query(unit, students, django_assert_num_queries):
    events = [event_create(unit, capacity=3, publish=False) for _ in range(4)]
    for event in events:
        _signed_up(event, students(2))
    with django_assert_num_queries(1):
        places = capacity_reads.places_for(booking_model=Signup, holders=events)
    assert {p.free for p in places.values()} == {1}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_lock_needs_a_transaction(unit):
    event = event_create(unit)
    with pytest.raises(TransactionManagementError):
        capacity.holder_lock(booking_model=Signup, holder_id=event.pk)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_capacity_check_takes_the_lock_by_default(unit):
    event = event_create(unit, capacity=5)
    with pytest.raises(TransactionManagementError):
        capacity.capacity_check(booking_model=Signup, holder_id=event.pk, capacity=2)
    # Without the lock it only counts (a form's check before the locked save).
    capacity.capacity_check(booking_model=Signup, holder_id=event.pk, capacity=2, lock=False)


def test_the_lock_returns_the_holder_freshly_read(unit):
    event = event_create(unit, capacity=4)
    EventPage.objects.filter(pk=event.pk).update(capacity=9)
    with transaction.atomic():
        locked = capacity.holder_lock(booking_model=Signup, holder_id=event.pk)
    assert locked.capacity == 9


def test_engine_check_runs_under_the_lock_and_can_refuse(unit, student):
    event = event_create(unit)
    seen = []

    def check(holder):
        seen.append(holder.pk)
        raise BookingError(code="custom", message="no")

    with pytest.raises(BookingError):
        capacity.booking_create(
            booking_model=Signup, holder_id=event.pk, person=student, check=check
        )
    assert seen == [event.pk]
    assert not Signup.objects.exists()


def test_arrival_numbers_increase_per_holder(unit, students):
    event = event_create(unit, capacity=1)
    signups = _signed_up(event, students(3))
    assert [s.sequence for s in signups] == [1, 2, 3]


def test_capacity_check_refuses_below_the_confirmed_count(unit, students):
    event = event_create(unit, capacity=3)
    _signed_up(event, students(3))
    with pytest.raises(BookingError) as caught:
        capacity.capacity_check(booking_model=Signup, holder_id=event.pk, capacity=2)
    assert caught.value.code == "capacity_below_confirmed"
    assert caught.value.confirmed == 3


def test_capacity_check_accepts_unlimited_and_equal(unit, students):
    event = event_create(unit, capacity=3)
    _signed_up(event, students(3))
    capacity.capacity_check(booking_model=Signup, holder_id=event.pk, capacity=None)
    capacity.capacity_check(booking_model=Signup, holder_id=event.pk, capacity=3)


def test_lowering_capacity_below_confirmed_is_refused_with_a_message(unit, students):
    event = event_create(unit, capacity=3)
    _signed_up(event, students(3))
    event.capacity = 2
    with pytest.raises(ValidationError) as caught:
        event.full_clean()
    assert "capacity" in caught.value.message_dict


def test_publishing_a_lower_capacity_is_refused_and_changes_nothing(unit, students):
    event = event_create(unit, capacity=3)
    _signed_up(event, students(3))
    event.capacity = 1
    with pytest.raises(ValidationError):
        event.save()
    assert EventPage.objects.get(pk=event.pk).capacity == 3


def test_publishing_more_places_gives_them_to_the_waitlist_in_order(unit, students):
    event = event_create(unit, capacity=1)
    people = students(4)
    _signed_up(event, people)
    event.capacity = 3
    event.save_revision().publish()
    confirmed = Signup.objects.filter(event=event, status="confirmed").order_by("sequence")
    assert [s.person_id for s in confirmed] == [p.pk for p in people[:3]]
    told = Notification.objects.filter(kind="waitlist_place_given")
    assert sorted(n.recipient_id for n in told) == sorted(p.pk for p in people[1:3])


def test_removing_the_limit_confirms_the_whole_waitlist(unit, students):
    event = event_create(unit, capacity=1)
    _signed_up(event, students(3))
    event.capacity = None
    event.save_revision().publish()
    assert not Signup.objects.filter(event=event, status=BookingStatus.WAITLISTED).exists()


def test_changing_the_time_tells_everyone_signed_up(unit, students):
    from datetime import timedelta

    event = event_create(unit, capacity=5)
    people = students(2)
    _signed_up(event, people)
    event.start_at += timedelta(hours=1)
    event.end_at += timedelta(hours=1)
    event.save_revision().publish()
    told = Notification.objects.filter(kind="event_changed")
    assert sorted(n.recipient_id for n in told) == sorted(p.pk for p in people)


def test_republishing_unchanged_tells_nobody(unit, students):
    event = event_create(unit, capacity=5)
    _signed_up(event, students(2))
    event.save_revision().publish()
    assert not Notification.objects.filter(kind="event_changed").exists()


def test_first_publication_tells_the_units_followers(unit, student):
    from onboarding.units.services import follow_create

    follow_create(user=student, unit=unit)
    event_create(unit, publish=True)
    told = Notification.objects.filter(kind="unit_new_event")
    assert [n.recipient_id for n in told] == [student.pk]
