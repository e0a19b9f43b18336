"""Signing up: places, the waitlist in arrival order, windows at their edges, the audience."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.utils import timezone, translation

from onboarding.accounts.models import StudentProfile
from onboarding.activities.errors import SignupError
from onboarding.activities.models import Signup
from onboarding.activities.selectors import event_places
from onboarding.activities.services import (
    signup_book,
    signup_cancel,
    signup_create,
    signup_message,
)
from onboarding.bookings.models import BookingStatus
from onboarding.live.models import Notification
from tests.onboarding.activities.factories import event_create

pytestmark = [pytest.mark.stack, pytest.mark.django_db]
TICK = timedelta(microseconds=1)


def _error(callable_, **kwargs):
    with pytest.raises(SignupError) as caught:
        callable_(**kwargs)
    return caught.value


def test_signup_gets_a_place_while_places_remain(unit, student):
    event = event_create(unit, capacity=2)
    signup = signup_create(event=event, user=student)
    assert signup.status == BookingStatus.CONFIRMED
    assert signup.confirmed_at is not None


def test_signup_without_a_limit_is_always_confirmed(unit, students):
    event = event_create(unit, capacity=None)
    statuses = {signup_create(event=event, user=person).status for person in students(5)}
    assert statuses == {BookingStatus.CONFIRMED}


def test_signups_after_the_last_place_join_the_waitlist_in_arrival_order(unit, students):
    event = event_create(unit, capacity=2, waitlist_enabled=True)
    people = students(5)
    signups = [signup_create(event=event, user=person) for person in people]
    assert [s.status for s in signups] == ["confirmed"] * 2 + ["waitlisted"] * 3
    queue = Signup.objects.filter(event=event, status="waitlisted").order_by("sequence")
    assert [s.person_id for s in queue] == [p.pk for p in people[2:]]


def test_waitlisted_signup_is_told_its_position(unit, students):
    event = event_create(unit, capacity=1)
    first, second, third = students(3)
    signup_create(event=event, user=first)
    signup_create(event=event, user=second)
    signup = signup_create(event=event, user=third)
    assert "2" in signup_message(signup=signup)


def test_full_event_without_waitlist_refuses_with_full(unit, students):
    event = event_create(unit, capacity=1, waitlist_enabled=False)
    first, second = students(2)
    signup_create(event=event, user=first)
    error = _error(signup_create, event=event, user=second)
    assert error.code == "full"
    assert not Signup.objects.filter(person=second).exists()


def test_signing_up_twice_refuses_with_already_signed_up(unit, student):
    event = event_create(unit, capacity=5)
    signup_create(event=event, user=student)
    error = _error(signup_create, event=event, user=student)
    assert error.code == "already_signed_up"
    assert Signup.objects.filter(person=student).count() == 1


def test_already_on_the_waitlist_names_the_position(unit, students):
    event = event_create(unit, capacity=1)
    first, second = students(2)
    signup_create(event=event, user=first)
    signup_create(event=event, user=second)
    error = _error(signup_create, event=event, user=second)
    assert error.code == "already_signed_up"
    assert error.position == 1


def test_anonymous_person_must_log_in(unit):
    event = event_create(unit)
    assert _error(signup_create, event=event, user=AnonymousUser()).code == "login_required"


def test_unpublished_event_refuses_with_not_found(unit, student):
    event = event_create(unit)
    event.unpublish()
    assert _error(signup_create, event=event, user=student).code == "not_found"


def test_signup_after_cancelling_goes_to_the_back_of_the_queue(unit, students):
    event = event_create(unit, capacity=1)
    first, second, third = students(3)
    mine = signup_create(event=event, user=first)
    signup_create(event=event, user=second)
    signup_cancel(signup=mine, user=first)
    signup_create(event=event, user=third)
    again = signup_create(event=event, user=first)
    assert again.pk == mine.pk
    assert again.status == BookingStatus.WAITLISTED
    queue = Signup.objects.filter(event=event, status="waitlisted").order_by("sequence")
    assert [s.person_id for s in queue] == [third.pk, first.pk]


# --- Windows at their edges ------------------------------------------------------------------


@pytest.fixture
def windowed(unit):
    start = timezone.now() + timedelta(days=10)
    return event_create(
        unit,
        start_at=start,
        end_at=start + timedelta(hours=3),
        signup_opens_at=start - timedelta(days=5),
        signup_closes_at=start - timedelta(days=1),
    )


def test_signup_just_before_opening_refuses_with_not_open(windowed, student):
    error = _error(signup_create, event=windowed, user=student, now=windowed.signup_opens_at - TICK)
    assert error.code == "not_open"


def test_signup_at_the_moment_of_opening_is_accepted(windowed, student):
    signup = signup_create(event=windowed, user=student, now=windowed.signup_opens_at)
    assert signup.status == BookingStatus.CONFIRMED


def test_signup_just_before_closing_is_accepted(windowed, student):
    signup = signup_create(event=windowed, user=student, now=windowed.signup_closes_at - TICK)
    assert signup.status == BookingStatus.CONFIRMED


def test_signup_at_the_moment_of_closing_refuses_with_closed(windowed, student):
    error = _error(signup_create, event=windowed, user=student, now=windowed.signup_closes_at)
    assert error.code == "closed"


def test_signup_without_a_closing_time_closes_at_the_start(unit, student):
    event = event_create(unit)
    assert _error(signup_create, event=event, user=student, now=event.start_at).code == "closed"
    assert signup_create(event=event, user=student, now=event.start_at - TICK).is_active


# --- The audience --------------------------------------------------------------------------


def _profile(user, *, status="incoming_exchange", faculty=None):
    return StudentProfile.objects.create(user=user, status=status, faculty=faculty)


def test_event_for_everyone_admits_a_person_without_a_profile(unit, student):
    event = event_create(unit)
    assert signup_create(event=event, user=student).is_active


def test_event_for_a_status_refuses_a_person_without_a_profile(unit, student):
    event = event_create(unit, audience_statuses=["incoming_exchange"])
    assert _error(signup_create, event=event, user=student).code == "not_in_audience"


def test_event_for_a_status_refuses_another_status(unit, student):
    event = event_create(unit, audience_statuses=["incoming_exchange"])
    _profile(student, status="international_degree")
    assert _error(signup_create, event=event, user=student).code == "not_in_audience"


def test_event_for_a_status_admits_that_status(unit, student):
    event = event_create(unit, audience_statuses=["incoming_exchange", "phd"])
    _profile(student, status="phd")
    assert signup_create(event=event, user=student).is_active


def test_event_for_a_faculty_refuses_a_student_of_another_faculty(tree, unit, student):
    event = event_create(unit, faculties=[tree["faculty_a"]])
    _profile(student, faculty=tree["faculty_b"])
    assert _error(signup_create, event=event, user=student).code == "not_in_audience"


def test_event_for_a_faculty_admits_its_students(tree, unit, student):
    event = event_create(unit, faculties=[tree["faculty_a"]])
    _profile(student, faculty=tree["faculty_a"])
    assert signup_create(event=event, user=student).is_active


def test_event_for_a_status_and_a_faculty_needs_both(tree, unit, student):
    event = event_create(unit, audience_statuses=["phd"], faculties=[tree["faculty_a"]])
    _profile(student, status="incoming_exchange", faculty=tree["faculty_a"])
    assert _error(signup_create, event=event, user=student).code == "not_in_audience"


# --- The version of the places ---------------------------------------------------------------


def test_every_change_gets_a_newer_version_even_after_changes_dated_later(unit, students):
    """Signups written with a time of their own (as the demo's, days ahead) must not make
    later changes look older to the pages that order live hints by version."""
    event = event_create(unit, capacity=2, waitlist_enabled=True)
    early, later, waiting, latest = students(4)
    ahead = timezone.now() + timedelta(days=1)
    dated = [signup_book(event=event, user=person, now=ahead) for person in (early, later)]
    versions = [result.places.version_number for result in dated]

    versions.append(signup_book(event=event, user=waiting).places.version_number)
    signup_cancel(signup=dated[0].signup, user=early)
    versions.append(event_places(event=event).version_number)
    versions.append(signup_book(event=event, user=latest).places.version_number)

    assert versions == sorted(set(versions))


# --- The confirmation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "subject"),
    [("nb", "Du er påmeldt Velkomstfest"), ("en", "You are signed up to Welcome party")],
)
def test_a_confirmed_signup_is_confirmed_in_the_persons_language(
    unit, students, language, subject, django_capture_on_commit_callbacks
):
    event = event_create(unit, capacity=2, title_nb="Velkomstfest", title_en="Welcome party")
    (person,) = students(1, language=language)
    with django_capture_on_commit_callbacks(execute=True):
        signup_create(event=event, user=person)
    told = Notification.objects.get(recipient=person, kind="event_signup")
    assert told.language == language
    assert told.subject == subject
    with translation.override(language):
        assert told.url == event.get_url()
    # Email at once is the kind's default: the confirmation also goes by email.
    emailed = [message.subject for message in mail.outbox if person.email in message.to]
    assert len(emailed) == 1 and emailed[0].endswith(subject)


@pytest.mark.parametrize(
    ("language", "words"),
    [("nb", "venteliste som nummer 1"), ("en", "waitlist, as number 1")],
)
def test_a_waitlisted_signup_is_told_its_place_in_the_queue(
    unit, students, language, words, django_capture_on_commit_callbacks
):
    event = event_create(unit, capacity=1, waitlist_enabled=True)
    first, second = students(2, language=language)
    with django_capture_on_commit_callbacks(execute=True):
        signup_create(event=event, user=first)
        signup_create(event=event, user=second)
    told = Notification.objects.get(recipient=second, kind="event_signup")
    assert words in told.body
