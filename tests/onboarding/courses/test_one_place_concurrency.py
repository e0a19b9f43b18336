"""On PostgreSQL: one place per level and semester holds when one person applies twice at once,
and a round's allocation keeps capacities while places are given up at the same time."""

import datetime
import threading

import pytest
from django.db import connection

from onboarding.bookings.models import BookingStatus
from onboarding.courses import services
from onboarding.courses.errors import EnrolmentError
from onboarding.courses.models import Enrolment
from onboarding.units.services import unit_editor_add
from tests.factories import UserFactory
from tests.onboarding.courses.conftest import course_tree
from tests.onboarding.courses.factories import course_create, student_create

pytestmark = [pytest.mark.stack, pytest.mark.postgres]


@pytest.fixture
def tree(site_tree):
    """Built per test: this module's tests are transactional and see only committed data."""
    return course_tree(site_tree["home"])


def run_together(works):
    barrier = threading.Barrier(len(works))
    errors = []

    def run(work):
        try:
            barrier.wait()
            work()
        except EnrolmentError as error:
            errors.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_parallel_applications_at_once_give_one_place(tree):
    courses = [course_create(tree["centre"], level="A1", capacity=5) for _ in range(3)]
    student = student_create(first_name="Twice")
    errors = run_together(
        [lambda c=c: services.enrolment_create(course=c, user=student) for c in courses]
    )
    active = Enrolment.objects.filter(person=student, status__in=["confirmed", "waitlisted"])
    assert active.count() == 1
    assert sorted(errors) == ["same_level_held", "same_level_held"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_late_cancellations_after_an_allocation_go_to_the_waitlist_in_priority_order(tree):
    x = course_create(tree["centre"], level="A1", capacity=3, allocated_in_round=True)
    y = course_create(tree["centre"], level="A1", capacity=1, allocated_in_round=True)
    applicants = [student_create(first_name=f"Round{n}") for n in range(8)]
    for person in applicants:
        services.round_apply(course=x, user=person, choices=[x.pk, y.pk])
    editor = UserFactory(first_name="Centre")
    unit_editor_add(unit=tree["centre"], user=editor)
    round_ = services.round_get_or_create(course=x)
    after = max(x.application_closes_at, y.application_closes_at) + datetime.timedelta(hours=1)
    plan = services.round_allocate(round=round_, by=editor, seed="late", now=after)
    order = [application.person for application in plan.order]
    on_x = [p for p in order if plan.placed.get(_app(plan, p).pk) == x.pk]
    waiting = [p for p in order if _app(plan, p).pk not in plan.placed]
    leaving = on_x[:2]
    enrolments = [Enrolment.objects.get(course=x, person=p) for p in leaving]
    errors = run_together(
        [
            lambda e=e, p=p: services.enrolment_cancel(enrolment=e, user=p)
            for e, p in zip(enrolments, leaving, strict=True)
        ]
        + [lambda: services.round_allocate(round=round_, by=editor, now=after)]
    )
    assert errors == ["allocated"]
    confirmed = Enrolment.objects.filter(course=x, status=BookingStatus.CONFIRMED)
    assert confirmed.count() == 3
    promoted = set(confirmed.values_list("person_id", flat=True)) - {p.pk for p in on_x}
    assert promoted == {p.pk for p in waiting[:2]}
    for person in applicants:
        active = Enrolment.objects.filter(person=person, status__in=["confirmed", "waitlisted"])
        assert active.count() <= 1


def _app(plan, person):
    return next(a for a in plan.order if a.person_id == person.pk)
