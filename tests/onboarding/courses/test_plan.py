"""The Norwegian course on the arrival plan's "Your people": a place, a waitlist place, or what to take."""

import datetime

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from onboarding.accounts.models import StudentStatus
from onboarding.courses import services
from onboarding.courses.plan import plan_course_suggestion
from onboarding.courses.selectors import student_get
from tests.onboarding.courses.factories import answers_up_to, course_create, student_create

LANGUAGES = ["nb", "en"]


def suggestion_for(user):
    return plan_course_suggestion(profile=student_get(user=user).profile)


@pytest.fixture
def not_yet_open(centre):
    """An A1 course whose application opens in a week."""
    opens = timezone.now() + datetime.timedelta(days=7)
    return course_create(
        centre,
        level="A1",
        application_opens_at=opens,
        application_closes_at=opens + datetime.timedelta(days=7),
    )


def test_a_student_offered_nothing_is_shown_the_fitting_course_and_when_it_opens(
    not_yet_open, student
):
    with translation.override("en"):
        suggestion = suggestion_for(student)
        opens = formats.date_format(
            timezone.localtime(not_yet_open.application_opens_at), "DATE_FORMAT"
        )
        url = not_yet_open.get_url()

    assert suggestion.title == not_yet_open.title_en
    assert f"The application opens {opens}." in suggestion.text
    assert suggestion.url == url


def test_an_open_course_says_until_when_it_is_open(course, student):
    with translation.override("en"):
        suggestion = suggestion_for(student)

    assert "The application is open until" in suggestion.text


def test_without_a_placement_the_plan_points_to_the_placement_test(course, student):
    suggestion = suggestion_for(student)

    assert suggestion.info_url == reverse("courses:placement")


def test_the_placement_result_chooses_the_course(centre, student):
    course_create(centre, level="A1")
    b1 = course_create(centre, level="B1", prerequisite_level="A2")
    services.placement_record(user=student, answers=answers_up_to("A2"))

    assert suggestion_for(student).title == b1.title


def test_only_courses_the_student_may_take_are_suggested(centre):
    course_create(centre, level="A1", min_stay_months=9, title_en="Year course")
    short = course_create(centre, level="A1", max_stay_months=6, title_en="Short course")
    exchange = student_create(
        status=StudentStatus.INCOMING_EXCHANGE,
        arrival=datetime.date(2026, 8, 10),
        departure=datetime.date(2026, 12, 20),
    )

    with translation.override("en"):
        assert suggestion_for(exchange).title == short.title_en


def test_a_student_with_a_place_sees_it(course, student):
    services.enrolment_create(course=course, user=student)

    with translation.override("en"):
        suggestion = suggestion_for(student)

    assert suggestion.title == course.title_en
    assert suggestion.text.startswith("You have a place.")


def test_a_waitlisted_student_sees_their_position(centre, students):
    small = course_create(centre, capacity=1)
    services.enrolment_create(course=small, user=students[0])
    services.enrolment_create(course=small, user=students[1])

    with translation.override("en"):
        suggestion = suggestion_for(students[1])

    assert "as number 1" in suggestion.text


def test_without_any_fitting_course_the_language_centre_is_suggested(centre, student):
    with translation.override("en"):
        suggestion = suggestion_for(student)

    assert suggestion.unit == centre
    assert "No course at your level" in suggestion.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_arrival_plan_shows_the_course_and_when_its_application_opens(
    client, not_yet_open, student, language
):
    client.force_login(student)
    with translation.override(language):
        url = reverse("arrival_plan")
        opens = formats.date_format(
            timezone.localtime(not_yet_open.application_opens_at), "DATE_FORMAT"
        )

    html = client.get(url).content.decode()

    assert getattr(not_yet_open, f"title_{language}") in html
    assert opens in html
