"""The catalogue, course pages, applying and cancelling, places, participants: in both languages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.bookings.selectors import Places
from onboarding.courses import services
from onboarding.courses.models import CourseFormat, Enrolment
from onboarding.courses.selectors import course_topic_allowed
from onboarding.courses.semesters import Semester
from onboarding.courses.views import places_text
from tests.onboarding.courses.factories import answers_up_to, course_create, student_create

LANGUAGES = ["nb", "en"]
CATALOGUE = {"nb": "/nb/norskkurs/", "en": "/en/norwegian-courses/"}


def url_in(language, name, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def page_url(page, language):
    with translation.override(language):
        return page.get_url()


# --- Catalogue ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_lists_courses_in_the_readers_language(client, catalogue, course, language):
    response = client.get(CATALOGUE[language])

    html = response.content.decode()
    with translation.override(language):
        places = places_text(Places(capacity=10))
    assert response.status_code == 200
    assert getattr(course, f"title_{language}") in html
    assert places in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_filters_by_level(client, catalogue, centre, language):
    a1 = course_create(centre, level="A1")
    b1 = course_create(centre, level="B1")

    html = client.get(CATALOGUE[language], {"level": "B1"}).content.decode()

    assert getattr(b1, f"title_{language}") in html
    assert getattr(a1, f"title_{language}") not in html


def test_a_course_spanning_levels_is_found_under_each(client, catalogue, centre):
    spanning = course_create(centre, level="A1", level_to="A2")

    html = client.get(CATALOGUE["en"], {"level": "A2"}).content.decode()

    assert spanning.title_en in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_filters_by_format(client, catalogue, centre, language):
    digital = course_create(centre, course_format=CourseFormat.DIGITAL, online=True)
    campus = course_create(centre)

    html = client.get(CATALOGUE[language], {"course_format": "digital"}).content.decode()

    assert getattr(digital, f"title_{language}") in html
    assert getattr(campus, f"title_{language}") not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_filters_by_semester(client, catalogue, centre, language):
    this = Semester.current()
    later_start = datetime.date(this.next().year, 2 if this.next().term == "spring" else 9, 1)
    later = course_create(centre, starts_on=later_start)
    now_course = course_create(centre)

    html = client.get(CATALOGUE[language], {"semester": this.next().code}).content.decode()

    assert getattr(later, f"title_{language}") in html
    assert getattr(now_course, f"title_{language}") not in html


def test_an_unknown_filter_value_is_shown_as_an_error(client, catalogue, course):
    html = client.get(CATALOGUE["en"], {"level": "Z9"}).content.decode()

    assert "errorlist" in html


def test_courses_that_have_ended_are_not_listed(client, catalogue, centre):
    now = timezone.now()
    ended = course_create(
        centre,
        starts_on=timezone.localdate() - datetime.timedelta(days=100),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
        application_opens_at=now - datetime.timedelta(days=200),
        application_closes_at=now - datetime.timedelta(days=150),
    )

    html = client.get(CATALOGUE["en"]).content.decode()

    assert ended.title_en not in html


def test_the_catalogue_marks_the_courses_that_fit_the_students_level(client, catalogue, centre):
    fits = course_create(centre, level="A2", prerequisite_level="A1")
    student = student_create(level="A1")
    # The prerequisite is met by a placement result (or a passed course), not the profile alone.
    services.placement_record(user=student, answers=answers_up_to("A1"))
    client.force_login(student)

    html = client.get(CATALOGUE["en"]).content.decode()

    card = html.split(fits.title_en)[1].split("</li>")[0]
    assert "Fits your level" in card


def _queries(client, url):
    """Queries of a request made right after the same one (so that caches are warm in both)."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.stack
def test_the_catalogue_costs_the_same_for_5_and_50_courses(client, catalogue, centre, students):
    client.force_login(students[0])
    for n in range(5):
        course = course_create(centre, level="A1")
        services.enrolment_create(course=course, user=students[n % 5])
    few = _queries(client, CATALOGUE["en"])
    for n in range(45):
        course_create(centre, level=["A1", "A2", "B1"][n % 3])

    many = _queries(client, CATALOGUE["en"])

    assert many == few


# --- Course page --------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_course_page_shows_its_facts_and_places(client, course, language):
    response = client.get(page_url(course, language))

    html = response.content.decode()
    assert response.status_code == 200
    assert getattr(course, f"title_{language}") in html
    assert f'data-live-topic="course:{course.pk}"' in html
    assert url_in(language, "courses:places", course_id=course.pk) in html


def test_an_anonymous_reader_is_asked_to_log_in_to_apply(client, course):
    html = client.get(page_url(course, "en")).content.decode()

    assert "Log in to apply" in html
    assert url_in("en", "courses:enrol", course_id=course.pk) not in html


def test_an_eligible_student_sees_the_apply_button(client, course, student):
    client.force_login(student)

    html = client.get(page_url(course, "en")).content.decode()

    assert url_in("en", "courses:enrol", course_id=course.pk) in html


def test_an_ineligible_student_sees_why_before_applying(client, centre, student):
    short_course = course_create(centre, max_stay_months=6)
    client.force_login(student)

    html = client.get(page_url(short_course, "en")).content.decode()

    assert "You cannot apply for this course." in html
    assert url_in("en", "courses:enrol", course_id=short_course.pk) not in html


def test_a_course_not_yet_open_says_when_it_opens(client, centre, student):
    opens = timezone.now() + datetime.timedelta(days=3)
    later = course_create(
        centre, application_opens_at=opens, application_closes_at=opens + datetime.timedelta(days=5)
    )
    client.force_login(student)

    html = client.get(page_url(later, "en")).content.decode()

    assert "The application opens" in html


# --- Applying and cancelling --------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_applying_gives_a_place_and_returns_to_the_course(client, course, student, language):
    client.force_login(student)

    response = client.post(url_in(language, "courses:enrol", course_id=course.pk))

    assert response.status_code == 302
    assert response["Location"] == page_url(course, language)
    assert Enrolment.objects.get(person=student).status == "confirmed"


def test_applying_anonymously_sends_to_log_in(client, course):
    response = client.post(url_in("en", "courses:enrol", course_id=course.pk))

    assert response.status_code == 302
    assert not Enrolment.objects.exists()


def test_applying_needs_a_post(client, course, student):
    client.force_login(student)

    response = client.get(url_in("en", "courses:enrol", course_id=course.pk))

    assert response.status_code == 405


def test_a_refused_application_shows_the_reason_and_changes_nothing(client, centre, student):
    short_course = course_create(centre, max_stay_months=6)
    client.force_login(student)

    response = client.post(url_in("en", "courses:enrol", course_id=short_course.pk), follow=True)

    assert "short course" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_applying_to_an_unpublished_course_is_not_found(client, course, student):
    course.unpublish()
    client.force_login(student)

    response = client.post(url_in("en", "courses:enrol", course_id=course.pk))

    assert response.status_code == 404


@pytest.mark.parametrize("language", LANGUAGES)
def test_cancelling_frees_the_place(client, course, student, language):
    services.enrolment_create(course=course, user=student)
    client.force_login(student)

    client.post(url_in(language, "courses:cancel", course_id=course.pk))

    assert Enrolment.objects.get(person=student).status == "cancelled"


def test_cancelling_without_an_enrolment_says_so(client, course, student):
    client.force_login(student)

    response = client.post(url_in("en", "courses:cancel", course_id=course.pk), follow=True)

    assert "You are not enrolled on this course." in response.content.decode()


# --- Places -------------------------------------------------------------------------------


def test_places_json_gives_counts_and_the_persons_standing(client, centre, students):
    small = course_create(centre, capacity=1)
    services.enrolment_create(course=small, user=students[0])
    services.enrolment_create(course=small, user=students[1])
    client.force_login(students[1])

    data = client.get(url_in("en", "courses:places", course_id=small.pk)).json()

    assert (data["capacity"], data["confirmed"], data["waitlisted"], data["free"]) == (1, 1, 1, 0)
    assert data["mine"]["status"] == "waitlisted" and data["mine"]["position"] == 1
    assert data["text"] == "Full: the only place is taken."


@pytest.mark.parametrize(
    ("language", "capacity", "text"),
    [
        ("en", 1, "Full: the only place is taken."),
        ("nb", 1, "Fullt: den eneste plassen er tatt."),
        ("en", 2, "Full: all 2 places are taken."),
        ("nb", 2, "Fullt: alle 2 plassene er tatt."),
    ],
)
def test_a_full_course_words_its_places_in_the_right_plural(
    client, centre, students, language, capacity, text
):
    full = course_create(centre, capacity=capacity, waitlist_enabled=False)
    for person in students[:capacity]:
        services.enrolment_create(course=full, user=person)

    html = client.get(page_url(full, language)).content.decode()

    assert text in html


def test_places_json_is_public_for_a_live_course(client, course):
    data = client.get(url_in("en", "courses:places", course_id=course.pk)).json()

    assert data["free"] == 10 and data["mine"] is None


def test_places_json_of_an_unpublished_course_is_not_found(client, course):
    course.unpublish()

    assert client.get(url_in("en", "courses:places", course_id=course.pk)).status_code == 404


def test_applying_publishes_the_new_places_to_the_courses_topic(course, student, monkeypatch):
    sent = []
    monkeypatch.setattr(
        "onboarding.bookings.holders.topic_publish", lambda **kwargs: sent.append(kwargs)
    )

    services.enrolment_create(course=course, user=student)

    assert sent[0]["topic"] == f"course:{course.pk}"
    assert sent[0]["payload"]["confirmed"] == 1


def test_logged_in_people_may_follow_a_live_course_topic(course, student):
    assert course_topic_allowed(student, str(course.pk))


def test_an_unpublished_or_unknown_course_topic_is_refused(course, student):
    course.unpublish()

    assert not course_topic_allowed(student, str(course.pk))
    assert not course_topic_allowed(student, "abc")


# --- Participants -------------------------------------------------------------------------


def test_participants_are_for_logged_in_people(client, course):
    response = client.get(url_in("en", "courses:participants", course_id=course.pk))

    assert response.status_code == 302


@pytest.mark.parametrize("role", ["student", "other_editor"])
def test_participants_are_refused_to_students_and_other_units(client, request, course, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(url_in("en", "courses:participants", course_id=course.pk))

    assert response.status_code == 403


@pytest.mark.parametrize("role", ["centre_editor", "section_staff"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_language_centre_and_section_staff_see_participants(
    client, request, course, student, role, language
):
    services.enrolment_create(course=course, user=student)
    client.force_login(request.getfixturevalue(role))

    response = client.get(url_in(language, "courses:participants", course_id=course.pk))

    assert response.status_code == 200
    assert student.email in response.content.decode()


def test_a_teacher_records_a_result_from_the_list(client, course, student, centre_editor):
    enrolment = services.enrolment_create(course=course, user=student)
    client.force_login(centre_editor)

    client.post(
        url_in("en", "courses:participants", course_id=course.pk),
        {"enrolment": enrolment.pk, "result": "passed"},
    )

    enrolment.refresh_from_db()
    assert enrolment.result == "passed"


def test_another_units_editor_cannot_record_a_result(client, course, student, other_editor):
    enrolment = services.enrolment_create(course=course, user=student)
    client.force_login(other_editor)

    response = client.post(
        url_in("en", "courses:participants", course_id=course.pk),
        {"enrolment": enrolment.pk, "result": "passed"},
    )

    assert response.status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.result == ""


def test_the_catalogue_lists_the_students_own_courses(client, catalogue, centre, students):
    small = course_create(centre, capacity=1)
    services.enrolment_create(course=small, user=students[0])
    services.enrolment_create(course=small, user=students[1])
    client.force_login(students[1])

    html = client.get(CATALOGUE["en"]).content.decode()

    mine = html.split('id="my-courses-heading"')[1].split("</section>")[0]
    assert small.title_en in mine and "as number 1" in mine


@pytest.mark.parametrize(("role", "shown"), [("student", False), ("section_staff", True)])
def test_the_catalogue_links_to_the_coverage_report_for_section_staff_only(
    client, request, catalogue, role, shown
):
    client.force_login(request.getfixturevalue(role))

    html = client.get(CATALOGUE["en"]).content.decode()

    assert (url_in("en", "courses:coverage") in html) is shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_lists_open_courses_before_closed_ones(client, catalogue, centre, language):
    now = timezone.now()
    closed = course_create(
        centre,
        level="A1",
        starts_on=timezone.localdate(now) + datetime.timedelta(days=7),
        application_opens_at=now - datetime.timedelta(days=20),
        application_closes_at=now - datetime.timedelta(days=1),
    )
    opening = course_create(
        centre,
        level="A1",
        starts_on=timezone.localdate(now) + datetime.timedelta(days=14),
        application_opens_at=now + datetime.timedelta(days=1),
        application_closes_at=now + datetime.timedelta(days=10),
    )
    open_ = course_create(
        centre, level="A1", starts_on=timezone.localdate(now) + datetime.timedelta(days=21)
    )

    html = client.get(CATALOGUE[language]).content.decode()

    titles = [getattr(course, f"title_{language}") for course in (open_, opening, closed)]
    positions = [html.index(title) for title in titles]
    assert positions == sorted(positions)
