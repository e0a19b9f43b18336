"""Enrolment and event signup run through one capacity and waitlist engine.

The engine is ``onboarding.bookings``; the courses app adds only
its own rules. These tests show that enrolments are made and cancelled by the
engine's own functions (the ones event signups call), and, on PostgreSQL,
that concurrent enrolments never exceed the capacity and keep arrival order.
"""

import threading

import pytest
from django.db import connection

from onboarding.activities.models import Signup
from onboarding.activities.services import signup_cancel, signup_create
from onboarding.bookings import models as booking_models
from onboarding.bookings import services as capacity
from onboarding.courses import services
from onboarding.courses.errors import EnrolmentError
from onboarding.courses.models import Enrolment
from onboarding.courses.selectors import participants
from tests.onboarding.activities.factories import event_create
from tests.onboarding.courses.conftest import course_tree
from tests.onboarding.courses.factories import course_create, student_create

pytestmark = pytest.mark.stack


@pytest.fixture
def tree(site_tree):
    """Built per test: this module has transactional tests, which see only committed data."""
    return course_tree(site_tree["home"])


class Spy:
    """Wraps an engine function, recording the booking model of every call (thread-safe)."""

    def __init__(self, function):
        self.function = function
        self.models = []
        self.lock = threading.Lock()

    def __call__(self, *args, **kwargs):
        with self.lock:
            self.models.append(kwargs["booking_model"])
        return self.function(*args, **kwargs)


@pytest.fixture
def spies(monkeypatch):
    found = {}
    for name in ("booking_create", "booking_cancel", "waitlist_fill", "holder_lock"):
        spy = Spy(getattr(capacity, name))
        monkeypatch.setattr(capacity, name, spy)
        found[name] = spy
    return found


def test_enrolment_is_a_booking_of_the_engine():
    assert issubclass(Enrolment, booking_models.Booking)
    assert issubclass(Signup, booking_models.Booking)
    assert Enrolment.holder_model().__name__ == "NorwegianCoursePage"


def test_enrolling_and_signing_up_call_the_same_engine_function(centre, student, spies):
    event = event_create(centre, publish=False, capacity=5)
    course = course_create(centre)

    signup_create(event=event, user=student)
    services.enrolment_create(course=course, user=student)

    assert spies["booking_create"].models == [Signup, Enrolment]


def test_cancelling_a_place_and_a_signup_call_the_same_engine_function(centre, student, spies):
    event = event_create(centre, publish=False, capacity=5)
    course = course_create(centre)
    signup = signup_create(event=event, user=student)
    enrolment = services.enrolment_create(course=course, user=student)

    signup_cancel(signup=signup, user=student)
    services.enrolment_cancel(enrolment=enrolment, user=student)

    assert spies["booking_cancel"].models == [Signup, Enrolment]


def test_enrolment_locks_the_course_row_through_the_engine(course, student, spies):
    services.enrolment_create(course=course, user=student)

    assert spies["holder_lock"].models == [Enrolment]


def test_publishing_more_places_fills_the_waitlist_through_the_engine(centre, spies):
    course = course_create(centre, publish=True, capacity=2)
    course.capacity = 3
    course.save_revision().publish()

    assert Enrolment in spies["waitlist_fill"].models
    assert course.live


def test_the_courses_rules_refuse_inside_the_engines_lock(course, spies):
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user(email="noprofile@example.org")

    with pytest.raises(EnrolmentError) as caught:
        services.enrolment_create(course=course, user=nobody)

    # The engine was entered and took the lock; the course's check refused under it.
    assert caught.value.code == "no_profile"
    assert spies["booking_create"].models == [Enrolment]
    assert spies["holder_lock"].models == [Enrolment]


# --- PostgreSQL: many people at once ------------------------------------------------------


def _run_together(count, work):
    """Run ``work(index)`` in ``count`` threads that start at the same moment; return errors."""
    barrier = threading.Barrier(count)
    errors = []

    def run(index):
        try:
            barrier.wait()
            work(index)
        except EnrolmentError as error:
            errors.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_enrolments_never_exceed_capacity_and_keep_arrival_order(tree, spies):
    course = course_create(tree["centre"], capacity=3)
    people = [student_create(first_name=f"Racer{n}") for n in range(12)]

    errors = _run_together(
        len(people), lambda i: services.enrolment_create(course=course, user=people[i])
    )

    rows = list(Enrolment.objects.filter(course=course).order_by("sequence"))
    assert errors == []
    assert spies["booking_create"].models == [Enrolment] * 12
    assert [row.sequence for row in rows] == list(range(1, 13))
    # The first three to obtain the lock have the places; the rest wait in that order.
    assert [row.status for row in rows] == ["confirmed"] * 3 + ["waitlisted"] * 9
    queue = [row for row in participants(course=course) if row.enrolment.status == "waitlisted"]
    assert [row.position for row in queue] == list(range(1, 10))
    assert [row.enrolment.sequence for row in queue] == list(range(4, 13))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_cancellations_give_each_freed_place_to_exactly_one_in_order(tree, spies):
    course = course_create(tree["centre"], capacity=3)
    people = [student_create(first_name=f"Queue{n}") for n in range(8)]
    enrolments = [services.enrolment_create(course=course, user=person) for person in people]

    errors = _run_together(
        3,
        lambda i: services.enrolment_cancel(enrolment=enrolments[i], user=people[i]),
    )

    statuses = dict(Enrolment.objects.filter(course=course).values_list("person_id", "status"))
    assert errors == []
    assert spies["booking_cancel"].models == [Enrolment] * 3
    assert [statuses[p.pk] for p in people] == ["cancelled"] * 3 + ["confirmed"] * 3 + [
        "waitlisted"
    ] * 2
