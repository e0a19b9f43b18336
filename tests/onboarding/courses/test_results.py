"""Recording course results: only the course's teachers, only for students with a place."""

import pytest

from onboarding.courses import services
from onboarding.courses.errors import ResultError
from onboarding.courses.models import CourseResult
from tests.onboarding.courses.factories import course_create


def test_the_language_centres_editor_records_a_pass(course, student, centre_editor):
    enrolment = services.enrolment_create(course=course, user=student)

    saved = services.enrolment_result_set(
        enrolment=enrolment, result=CourseResult.PASSED, by=centre_editor
    )

    assert (saved.result, saved.result_recorded_by) == ("passed", centre_editor)


def test_section_staff_may_record_results(course, student, section_staff):
    enrolment = services.enrolment_create(course=course, user=student)

    saved = services.enrolment_result_set(
        enrolment=enrolment, result=CourseResult.FAILED, by=section_staff
    )

    assert saved.result == "failed"


@pytest.mark.parametrize("who", ["student", "other_editor"])
def test_others_may_not_record_results(course, student, other_editor, who):
    enrolment = services.enrolment_create(course=course, user=student)
    by = {"student": student, "other_editor": other_editor}[who]

    with pytest.raises(ResultError) as caught:
        services.enrolment_result_set(enrolment=enrolment, result=CourseResult.PASSED, by=by)

    assert caught.value.code == "forbidden"
    enrolment.refresh_from_db()
    assert enrolment.result == ""


def test_a_waitlisted_student_has_no_result(centre, students, centre_editor):
    small = course_create(centre, capacity=1)
    services.enrolment_create(course=small, user=students[0])
    waiting = services.enrolment_create(course=small, user=students[1])

    with pytest.raises(ResultError) as caught:
        services.enrolment_result_set(
            enrolment=waiting, result=CourseResult.PASSED, by=centre_editor
        )

    assert caught.value.code == "not_confirmed"


def test_an_unknown_result_is_refused(course, student, centre_editor):
    enrolment = services.enrolment_create(course=course, user=student)

    with pytest.raises(ResultError) as caught:
        services.enrolment_result_set(enrolment=enrolment, result="excellent", by=centre_editor)

    assert caught.value.code == "invalid_result"


def test_an_empty_result_clears_it(course, student, centre_editor):
    enrolment = services.enrolment_create(course=course, user=student)
    services.enrolment_result_set(enrolment=enrolment, result=CourseResult.PASSED, by=centre_editor)

    cleared = services.enrolment_result_set(enrolment=enrolment, result="", by=centre_editor)

    assert (cleared.result, cleared.result_recorded_at) == ("", None)
