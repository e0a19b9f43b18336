"""Whether a course at a student's next level is for them, and why not: one answer for every page.

An A1 exchange student staying five months was told on the placement result
that no course at the next level was open, while the catalogue marked an open
A2 course "Fits your level"; the reason (a nine-month stay requirement) was
only on the course page.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.accounts.models import StudentStatus
from onboarding.courses import services
from onboarding.courses.selectors import course_fit_refusal, course_rows, student_get
from tests.onboarding.courses.factories import answers_up_to, course_create, student_create

pytestmark = pytest.mark.django_db
LANGUAGES = ["nb", "en"]
CATALOGUE = {"nb": "/nb/norskkurs/", "en": "/en/norwegian-courses/"}
STAY_REASON = {
    "nb": "Dette kurset er for studenter som blir minst 9 måneder; oppholdet ditt er 5 måneder.",
    "en": "This course is for students staying at least 9 months; your stay is 5 months.",
}


@pytest.fixture
def exchange_student(db):
    """An A1 exchange student (by placement) staying five months."""
    today = timezone.localdate()
    user = student_create(
        status=StudentStatus.INCOMING_EXCHANGE,
        arrival=today - datetime.timedelta(days=30),
        departure=today + datetime.timedelta(days=5 * 31 - 30),
    )
    services.placement_record(user=user, answers=answers_up_to("A1"))
    return user


def _refusal(course, user, level="A1"):
    (row,) = course_rows([course], user=user)
    return course_fit_refusal(
        course=row.course, places=row.places, student=student_get(user=user), level=level
    )


def _card(html, title):
    return html.split(title)[1].split("</li>")[0]


def _result_url(language):
    with translation.override(language):
        return reverse("courses:placement_result")


# --- The reasons ----------------------------------------------------------------------------


def test_a_course_at_the_next_level_with_nothing_in_the_way_fits(centre, exchange_student):
    assert _refusal(course_create(centre, level="A2"), exchange_student) is None


def test_a_stay_too_short_is_the_reason(centre, exchange_student):
    course = course_create(centre, level="A2", min_stay_months=9)
    assert _refusal(course, exchange_student).code == "stay_too_short"


def test_a_closed_application_is_the_reason(centre, exchange_student):
    now = timezone.now()
    course = course_create(
        centre,
        level="A2",
        application_opens_at=now - datetime.timedelta(days=20),
        application_closes_at=now - datetime.timedelta(days=1),
    )
    assert _refusal(course, exchange_student).code == "application_closed"


def test_a_full_course_without_a_waitlist_is_the_reason(centre, exchange_student, students):
    course = course_create(centre, level="A2", capacity=1, waitlist_enabled=False)
    services.enrolment_create(course=course, user=students[0])
    assert _refusal(course, exchange_student).code == "full"


def test_a_prerequisite_not_shown_by_a_placement_or_a_passed_course_is_the_reason(centre, db):
    # The profile says A1, but only a placement result or a passed course meets a prerequisite.
    student = student_create(level="A1")
    course = course_create(centre, level="A2", prerequisite_level="A1")
    assert _refusal(course, student).code == "prerequisite_missing"


# --- The pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_result_page_says_why_a_course_at_the_level_is_not_suggested(
    client, centre, exchange_student, language
):
    course = course_create(centre, level="A2", min_stay_months=9)
    client.force_login(exchange_student)

    html = client.get(_result_url(language)).content.decode()

    title = getattr(course, f"title_{language}")
    assert title in html
    assert STAY_REASON[language] in _card(html, title)
    assert "No course at the next level is open" not in html
    assert "Ingen kurs på neste nivå er åpne" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_gives_the_same_reason_and_no_fits_your_level(
    client, catalogue, centre, exchange_student, language
):
    refused = course_create(centre, level="A2", min_stay_months=9)
    fitting = course_create(centre, level="A2")
    client.force_login(exchange_student)

    html = client.get(CATALOGUE[language]).content.decode()

    fits = {"nb": "Passer ditt nivå", "en": "Fits your level"}[language]
    refused_card = _card(html, getattr(refused, f"title_{language}"))
    assert fits not in refused_card
    assert STAY_REASON[language] in refused_card
    assert fits in _card(html, getattr(fitting, f"title_{language}"))


def test_the_result_page_and_the_catalogue_agree_on_every_course(
    client, catalogue, centre, exchange_student, students
):
    now = timezone.now()
    courses = [
        course_create(centre, level="A2"),
        course_create(centre, level="A2", min_stay_months=9),
        course_create(centre, level="A2", capacity=1, waitlist_enabled=False),
        course_create(
            centre,
            level="A2",
            application_opens_at=now - datetime.timedelta(days=20),
            application_closes_at=now - datetime.timedelta(days=1),
        ),
    ]
    services.enrolment_create(course=courses[2], user=students[0])
    client.force_login(exchange_student)

    result = client.get(_result_url("en")).content.decode()
    listing = client.get(CATALOGUE["en"]).content.decode()

    for course in courses:
        on_result, in_catalogue = _card(result, course.title_en), _card(listing, course.title_en)
        assert ("Fits your level" in on_result) == ("Fits your level" in in_catalogue)
        why = re.findall(r'course-card__why-not">(.*?)</p>', on_result)
        assert why == re.findall(r'course-card__why-not">(.*?)</p>', in_catalogue)
    assert "Fits your level" in _card(result, courses[0].title_en)
