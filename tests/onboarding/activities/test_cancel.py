"""Cancelling: deadlines, and each freed place going to exactly one waitlisted person, in order."""

from datetime import timedelta

import pytest
from django.utils import timezone

from onboarding.activities.errors import SignupError
from onboarding.activities.models import Signup
from onboarding.activities.services import signup_cancel, signup_create
from onboarding.bookings.models import BookingStatus
from onboarding.live.models import Notification
from tests.onboarding.activities.factories import event_create

pytestmark = [pytest.mark.stack, pytest.mark.django_db]
TICK = timedelta(microseconds=1)


@pytest.fixture
def full_event(unit, students):
    """Capacity 2, two confirmed, three waitlisted (in that order)."""
    event = event_create(unit, capacity=2)
    people = students(5)
    signups = [signup_create(event=event, user=person) for person in people]
    return event, people, signups


def test_cancelling_a_place_gives_it_to_the_first_on_the_waitlist(full_event):
    event, people, signups = full_event
    signup_cancel(signup=signups[0], user=people[0])
    statuses = dict(Signup.objects.filter(event=event).values_list("person_id", "status"))
    assert statuses[people[2].pk] == BookingStatus.CONFIRMED
    assert statuses[people[3].pk] == BookingStatus.WAITLISTED
    assert statuses[people[4].pk] == BookingStatus.WAITLISTED


def test_a_freed_place_goes_to_exactly_one_person(full_event):
    event, people, signups = full_event
    signup_cancel(signup=signups[1], user=people[1])
    assert Signup.objects.filter(event=event, status="confirmed").count() == 2
    assert Signup.objects.filter(event=event, status="waitlisted").count() == 2


@pytest.mark.parametrize(
    ("language", "subject"),
    [("nb", "Du har fått plass på {title_nb}"), ("en", "You have a place at {title_en}")],
)
def test_the_promoted_person_is_told_through_the_notification_centre(full_event, language, subject):
    event, people, signups = full_event
    type(people[2]).objects.filter(pk=people[2].pk).update(language=language)
    signup_cancel(signup=signups[0], user=people[0])
    told = Notification.objects.filter(kind="waitlist_place_given")
    assert [n.recipient_id for n in told] == [people[2].pk]
    notification = told.get()
    assert notification.language == language
    assert notification.subject == subject.format(title_nb=event.title_nb, title_en=event.title_en)


def test_leaving_the_waitlist_promotes_nobody(full_event):
    event, people, signups = full_event
    signup_cancel(signup=signups[3], user=people[3])
    assert Signup.objects.filter(event=event, status="confirmed").count() == 2
    assert not Notification.objects.filter(kind="waitlist_place_given").exists()


def test_leaving_the_waitlist_moves_those_behind_up(full_event):
    from onboarding.bookings.selectors import waitlist_position

    event, people, signups = full_event
    signup_cancel(signup=signups[2], user=people[2])
    assert waitlist_position(booking=Signup.objects.get(person=people[4], event=event)) == 2


def test_cancelling_someone_elses_signup_refuses_with_forbidden(full_event):
    event, people, signups = full_event
    with pytest.raises(SignupError) as caught:
        signup_cancel(signup=signups[0], user=people[1])
    assert caught.value.code == "forbidden"
    assert Signup.objects.get(pk=signups[0].pk).status == BookingStatus.CONFIRMED


def test_cancelling_twice_refuses_with_not_signed_up(full_event):
    event, people, signups = full_event
    signup_cancel(signup=signups[0], user=people[0])
    with pytest.raises(SignupError) as caught:
        signup_cancel(signup=signups[0], user=people[0])
    assert caught.value.code == "not_signed_up"


@pytest.fixture
def deadline_event(unit, student):
    start = timezone.now() + timedelta(days=5)
    event = event_create(
        unit,
        capacity=10,
        start_at=start,
        end_at=start + timedelta(hours=2),
        cancellation_deadline=start - timedelta(days=2),
    )
    return event, signup_create(event=event, user=student)


def test_cancelling_just_before_the_deadline_is_accepted(deadline_event, student):
    event, signup = deadline_event
    cancelled = signup_cancel(signup=signup, user=student, now=event.cancellation_deadline - TICK)
    assert cancelled.status == BookingStatus.CANCELLED


def test_cancelling_at_the_deadline_refuses_with_cancellation_closed(deadline_event, student):
    event, signup = deadline_event
    with pytest.raises(SignupError) as caught:
        signup_cancel(signup=signup, user=student, now=event.cancellation_deadline)
    assert caught.value.code == "cancellation_closed"
    assert Signup.objects.get(pk=signup.pk).status == BookingStatus.CONFIRMED


def test_without_a_deadline_a_place_can_be_given_up_until_the_start(unit, student):
    event = event_create(unit)
    signup = signup_create(event=event, user=student)
    with pytest.raises(SignupError) as caught:
        signup_cancel(signup=signup, user=student, now=event.start_at)
    assert caught.value.code == "cancellation_closed"
    assert (
        signup_cancel(signup=signup, user=student, now=event.start_at - TICK).status == "cancelled"
    )


def test_a_waitlist_place_can_be_left_after_the_deadline(unit, students):
    start = timezone.now() + timedelta(days=5)
    event = event_create(
        unit,
        capacity=1,
        start_at=start,
        end_at=start + timedelta(hours=2),
        cancellation_deadline=start - timedelta(days=2),
    )
    first, second = students(2)
    signup_create(event=event, user=first)
    waiting = signup_create(event=event, user=second)
    cancelled = signup_cancel(signup=waiting, user=second, now=event.start_at)
    assert cancelled.status == BookingStatus.CANCELLED
