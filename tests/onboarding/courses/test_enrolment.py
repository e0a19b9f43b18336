"""Enrolment through the capacity engine: windows, rules, places, waitlist, cancellation."""

import datetime

import pytest
from django.utils import timezone, translation

from onboarding.accounts.models import StudentStatus
from onboarding.bookings.selectors import waitlist_position
from onboarding.courses import services
from onboarding.courses.errors import EnrolmentError
from onboarding.courses.models import CourseResult, Enrolment
from onboarding.live.models import Notification
from tests.factories import UserFactory
from tests.onboarding.courses.factories import answers_up_to, course_create, student_create

pytestmark = pytest.mark.stack

SECOND = datetime.timedelta(seconds=1)


def enrol(course, user, **kwargs):
    return services.enrolment_create(course=course, user=user, **kwargs)


# --- Application window at its edges -----------------------------------------------------


def test_applying_one_second_before_the_window_opens_is_refused(course, student):
    with pytest.raises(EnrolmentError) as caught:
        enrol(course, student, now=course.application_opens_at - SECOND)

    assert caught.value.code == "not_open"
    assert not Enrolment.objects.exists()


def test_applying_at_the_moment_the_window_opens_is_accepted(course, student):
    enrolment = enrol(course, student, now=course.application_opens_at)

    assert enrolment.status == "confirmed"


def test_applying_one_second_before_the_window_closes_is_accepted(course, student):
    enrolment = enrol(course, student, now=course.application_closes_at - SECOND)

    assert enrolment.status == "confirmed"


def test_applying_at_the_moment_the_window_closes_is_refused(course, student):
    with pytest.raises(EnrolmentError) as caught:
        enrol(course, student, now=course.application_closes_at)

    assert caught.value.code == "closed"
    assert not Enrolment.objects.exists()


def test_the_not_open_message_says_when_the_application_opens(centre, student):
    opens = timezone.make_aware(datetime.datetime(2027, 3, 1, 9, 0))
    later = course_create(
        centre,
        application_opens_at=opens,
        application_closes_at=opens + datetime.timedelta(days=5),
        starts_on=datetime.date(2027, 3, 15),
    )

    with pytest.raises(EnrolmentError) as caught:
        enrol(later, student, now=opens - datetime.timedelta(days=1))

    assert "2027" in caught.value.message


# --- Rules --------------------------------------------------------------------------------


def test_an_anonymous_person_must_log_in(course):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(EnrolmentError) as caught:
        enrol(course, AnonymousUser())

    assert caught.value.code == "login_required"


def test_a_person_without_a_profile_is_asked_to_fill_it_in(course):
    with pytest.raises(EnrolmentError) as caught:
        enrol(course, UserFactory())

    assert caught.value.code == "no_profile"
    assert not Enrolment.objects.exists()


def test_an_unpublished_course_is_refused(course, student):
    course.unpublish()

    with pytest.raises(EnrolmentError) as caught:
        enrol(course, student)

    assert caught.value.code == "not_found"


def test_a_status_the_course_is_not_for_is_refused(centre, student):
    exchange_only = course_create(centre, allowed_statuses=[StudentStatus.INCOMING_EXCHANGE])

    with pytest.raises(EnrolmentError) as caught:
        enrol(exchange_only, student)

    assert caught.value.code == "status_not_admitted"
    assert not Enrolment.objects.exists()


def test_a_one_semester_exchange_student_is_refused_the_year_course(centre):
    year_course = course_create(centre, min_stay_months=9)
    exchange = student_create(
        status=StudentStatus.INCOMING_EXCHANGE,
        arrival=datetime.date(2026, 8, 10),
        departure=datetime.date(2026, 12, 20),
    )

    with pytest.raises(EnrolmentError) as caught:
        enrol(year_course, exchange)

    assert caught.value.code == "stay_too_short"


def test_a_one_semester_exchange_student_may_take_the_short_course(centre):
    short_course = course_create(
        centre, max_stay_months=6, allowed_statuses=[StudentStatus.INCOMING_EXCHANGE]
    )
    exchange = student_create(
        status=StudentStatus.INCOMING_EXCHANGE,
        arrival=datetime.date(2026, 8, 10),
        departure=datetime.date(2026, 12, 20),
    )

    assert enrol(short_course, exchange).status == "confirmed"


def test_a_degree_student_is_refused_the_short_course(centre, student):
    short_course = course_create(centre, max_stay_months=6)

    with pytest.raises(EnrolmentError) as caught:
        enrol(short_course, student)

    assert caught.value.code == "stay_too_long"


def test_a_missing_prerequisite_is_refused_with_its_level(centre, student):
    a2 = course_create(centre, level="A2", prerequisite_level="A1")

    with pytest.raises(EnrolmentError) as caught:
        enrol(a2, student)

    assert caught.value.code == "prerequisite_missing"
    assert "A1" in caught.value.message


def test_a_placement_result_meets_the_prerequisite(centre, student):
    a2 = course_create(centre, level="A2", prerequisite_level="A1")
    services.placement_record(user=student, answers=answers_up_to("A1"))

    assert enrol(a2, student).status == "confirmed"


def test_a_passed_lower_course_meets_the_prerequisite(centre, student, centre_editor):
    a1 = course_create(centre, level="A1")
    a2 = course_create(centre, level="A2", prerequisite_level="A1")
    first = enrol(a1, student)
    services.enrolment_result_set(enrolment=first, result=CourseResult.PASSED, by=centre_editor)

    assert enrol(a2, student).status == "confirmed"


def test_a_failed_lower_course_does_not_meet_the_prerequisite(centre, student, centre_editor):
    a1 = course_create(centre, level="A1")
    a2 = course_create(centre, level="A2", prerequisite_level="A1")
    first = enrol(a1, student)
    services.enrolment_result_set(enrolment=first, result=CourseResult.FAILED, by=centre_editor)

    with pytest.raises(EnrolmentError) as caught:
        enrol(a2, student)

    assert caught.value.code == "prerequisite_missing"


def test_the_profile_level_alone_does_not_meet_the_prerequisite(centre):
    a2 = course_create(centre, level="A2", prerequisite_level="A1")
    says_b1 = student_create(level="B1")

    with pytest.raises(EnrolmentError) as caught:
        enrol(a2, says_b1)

    assert caught.value.code == "prerequisite_missing"


# --- Places and waitlist ------------------------------------------------------------------


def test_applying_twice_is_refused_and_keeps_one_enrolment(course, student):
    enrol(course, student)

    with pytest.raises(EnrolmentError) as caught:
        enrol(course, student)

    assert caught.value.code == "already_enrolled"
    assert Enrolment.objects.filter(person=student).count() == 1


def test_a_full_course_puts_the_next_applicant_on_the_waitlist(centre, students):
    small = course_create(centre, capacity=2)
    for person in students[:2]:
        enrol(small, person)

    third = enrol(small, students[2])

    assert third.status == "waitlisted"


def test_waitlist_positions_follow_arrival_order(centre, students):
    small = course_create(centre, capacity=1)
    enrolments = [enrol(small, person) for person in students[:4]]

    positions = [waitlist_position(booking=e) for e in enrolments[1:]]

    assert positions == [1, 2, 3]


def test_a_full_course_without_a_waitlist_refuses(centre, students):
    small = course_create(centre, capacity=1, waitlist_enabled=False)
    enrol(small, students[0])

    with pytest.raises(EnrolmentError) as caught:
        enrol(small, students[1])

    assert caught.value.code == "full"
    assert Enrolment.objects.filter(course=small).count() == 1


def test_the_waitlisted_message_gives_the_position(centre, students):
    small = course_create(centre, capacity=1)
    enrol(small, students[0])
    second = enrol(small, students[1])

    with translation.override("en"):
        assert "number 1" in services.enrolment_message(enrolment=second)


# --- Cancellation -------------------------------------------------------------------------


def test_cancelling_before_the_deadline_gives_the_place_to_the_first_waitlisted(centre, students):
    small = course_create(centre, capacity=1)
    first, second, third = (enrol(small, person) for person in students[:3])

    services.enrolment_cancel(enrolment=first, user=students[0])

    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("confirmed", "waitlisted")


def test_the_promoted_student_is_told_in_their_language(centre, students):
    small = course_create(centre, capacity=1)
    first = enrol(small, students[0])
    students[1].language = "nb"
    students[1].save(update_fields=["language"])
    enrol(small, students[1])

    services.enrolment_cancel(enrolment=first, user=students[0])

    notification = Notification.objects.get(recipient=students[1])
    assert notification.kind == "course_place_given"
    assert notification.language == "nb"
    assert small.title_nb in notification.subject


def test_cancelling_at_the_deadline_is_refused_and_changes_nothing(centre, students):
    deadline = timezone.now() + datetime.timedelta(days=5)
    small = course_create(centre, capacity=1, cancellation_deadline=deadline)
    first = enrol(small, students[0])
    second = enrol(small, students[1])

    with pytest.raises(EnrolmentError) as caught:
        services.enrolment_cancel(enrolment=first, user=students[0], now=deadline)

    assert caught.value.code == "cancellation_closed"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("confirmed", "waitlisted")


def test_cancelling_one_second_before_the_deadline_is_accepted(centre, student):
    deadline = timezone.now() + datetime.timedelta(days=5)
    small = course_create(centre, cancellation_deadline=deadline)
    enrolment = enrol(small, student)

    services.enrolment_cancel(enrolment=enrolment, user=student, now=deadline - SECOND)

    enrolment.refresh_from_db()
    assert enrolment.status == "cancelled"


def test_without_a_deadline_a_place_can_be_given_up_until_the_first_day(course, student):
    enrolment = enrol(course, student)
    first_day = timezone.make_aware(datetime.datetime.combine(course.starts_on, datetime.time()))

    with pytest.raises(EnrolmentError) as caught:
        services.enrolment_cancel(enrolment=enrolment, user=student, now=first_day)

    assert caught.value.code == "cancellation_closed"


def test_someone_elses_enrolment_cannot_be_cancelled(course, students):
    enrolment = enrol(course, students[0])

    with pytest.raises(EnrolmentError) as caught:
        services.enrolment_cancel(enrolment=enrolment, user=students[1])

    assert caught.value.code == "forbidden"


def test_cancelling_twice_is_refused(course, student):
    enrolment = enrol(course, student)
    services.enrolment_cancel(enrolment=enrolment, user=student)

    with pytest.raises(EnrolmentError) as caught:
        services.enrolment_cancel(enrolment=enrolment, user=student)

    assert caught.value.code == "not_enrolled"


def test_a_student_who_cancelled_may_apply_again_at_the_back_of_the_queue(centre, students):
    small = course_create(centre, capacity=1)
    enrol(small, students[0])
    waiting = enrol(small, students[1])
    enrol(small, students[2])
    services.enrolment_cancel(enrolment=waiting, user=students[1])

    again = enrol(small, students[1])

    assert again.pk == waiting.pk
    assert waitlist_position(booking=again) == 2


def test_publishing_more_places_gives_them_to_the_waitlist(centre, students):
    small = course_create(centre, capacity=1, publish=True)
    enrol(small, students[0])
    waiting = enrol(small, students[1])

    small.capacity = 2
    small.save_revision().publish()

    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert Notification.objects.filter(recipient=students[1], kind="course_place_given").exists()


def test_publishing_fewer_places_than_are_taken_is_refused(centre, students):
    from django.core.exceptions import ValidationError

    small = course_create(centre, capacity=3)
    for person in students[:2]:
        enrol(small, person)
    small.capacity = 1

    with pytest.raises(ValidationError) as caught:
        small.full_clean()

    assert "capacity" in caught.value.message_dict
