"""One place per student per level and semester: refused, swapped, counted once."""

import datetime

import pytest
from django.utils import translation

from onboarding.bookings.models import BookingStatus
from onboarding.courses import services
from onboarding.courses.errors import EnrolmentError
from onboarding.courses.models import Enrolment
from onboarding.courses.selectors import coverage_report
from tests.onboarding.courses.factories import course_create

pytestmark = pytest.mark.django_db


def enrol(course, user):
    return services.enrolment_create(course=course, user=user)


@pytest.fixture
def parallel(centre):
    """Two A1 courses of the same semester, one place each, and a B1 course."""
    return (
        course_create(centre, level="A1", capacity=1),
        course_create(centre, level="A1", capacity=1),
        course_create(centre, level="B1", capacity=5),
    )


@pytest.mark.parametrize("language", ["en", "nb"])
def test_a_second_parallel_course_is_refused_with_a_clear_message(parallel, student, language):
    first, second, _other = parallel
    enrol(first, student)
    with translation.override(language), pytest.raises(EnrolmentError) as caught:
        enrol(second, student)
    assert caught.value.code == "same_level_held"
    assert caught.value.enrolment.course_id == first.pk
    assert getattr(first, f"title_{language}") in caught.value.message
    assert ("same level" if language == "en" else "samme nivå") in caught.value.message
    assert not Enrolment.objects.filter(course=second).exists()


def test_a_waitlist_place_counts_too(parallel, student, students):
    first, second, _other = parallel
    enrol(first, students[0])
    assert enrol(first, student).status == BookingStatus.WAITLISTED
    with pytest.raises(EnrolmentError) as caught:
        enrol(second, student)
    assert caught.value.code == "same_level_held"


def test_another_level_or_semester_is_allowed(parallel, centre, student):
    first, _second, b1 = parallel
    enrol(first, student)
    assert enrol(b1, student).status == BookingStatus.CONFIRMED
    later = course_create(
        centre, level="A1", starts_on=first.starts_on + datetime.timedelta(days=200)
    )
    assert later.semester != first.semester
    assert enrol(later, student).status == BookingStatus.CONFIRMED


def test_giving_up_frees_the_level(parallel, student):
    first, second, _other = parallel
    enrolment = enrol(first, student)
    services.enrolment_cancel(enrolment=enrolment, user=student)
    assert enrol(second, student).status == BookingStatus.CONFIRMED


def test_swapping_moves_the_place_in_one_go(parallel, student, students):
    first, second, _other = parallel
    held = enrol(first, student)
    waiting = enrol(first, students[0])
    new = services.enrolment_swap(held=held, course=second, user=student)
    assert new.course_id == second.pk and new.status == BookingStatus.CONFIRMED
    held.refresh_from_db()
    waiting.refresh_from_db()
    assert held.status == BookingStatus.CANCELLED
    assert waiting.status == BookingStatus.CONFIRMED  # the freed place went to the waitlist


def test_a_swap_to_a_full_course_changes_nothing(parallel, student, students):
    first, second, _other = parallel
    held = enrol(first, student)
    enrol(second, students[0])
    with pytest.raises(EnrolmentError) as caught:
        services.enrolment_swap(held=held, course=second, user=student)
    assert caught.value.code == "swap_full"
    held.refresh_from_db()
    assert held.status == BookingStatus.CONFIRMED
    assert not Enrolment.objects.filter(course=second, person=student).exists()


def test_the_coverage_report_counts_each_person_once(parallel, student, students):
    first, second, b1 = parallel
    enrol(first, student)
    enrol(b1, student)
    # A second parallel place from before the rule (written directly, as old data was).
    Enrolment.objects.create(
        course=second,
        person=student,
        status=BookingStatus.CONFIRMED,
        sequence=1,
        booked_at=first.application_opens_at,
        created_at=first.application_opens_at,
        updated_at=first.application_opens_at,
    )
    report = coverage_report(today=first.starts_on - datetime.timedelta(days=10))
    assert report.total.enrolled == 1
    assert report.total.total == 1 + len(students)
