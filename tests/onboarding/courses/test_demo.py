"""The demo courses: this and next semester at every level and format, some full, and coverage."""

import datetime

import pytest
from django.utils import timezone, translation

from cms.models import InformationPage
from onboarding.bookings.selectors import places_for
from onboarding.courses import services
from onboarding.courses.demo import DATA, STUDENTS, seed_courses, student_email
from onboarding.courses.levels import COURSE_LEVELS
from onboarding.courses.models import (
    CourseFormat,
    Enrolment,
    NorwegianCourseCatalogPage,
    NorwegianCoursePage,
)
from onboarding.courses.selectors import (
    coverage_report,
    coverage_students,
    offered_nothing,
    student_get,
    suggested_courses,
)
from onboarding.courses.semesters import offer_semesters
from tests.onboarding.courses.factories import student_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_site, db):
    """The module's copy of the seeded demo."""


def _levels_taught(courses):
    taught = set()
    for course in courses:
        start, end = COURSE_LEVELS.index(course.level_from), COURSE_LEVELS.index(course.level_to)
        taught.update(COURSE_LEVELS[start : end + 1])
    return taught


@pytest.mark.parametrize("which", [0, 1], ids=["this-semester", "next-semester"])
def test_every_level_is_taught_in_every_format_each_semester(demo, which):
    semester = offer_semesters()[which]
    courses = list(
        NorwegianCoursePage.objects.live().filter(year=semester.year, term=semester.term)
    )

    for fmt in (CourseFormat.CAMPUS, CourseFormat.DIGITAL):
        assert _levels_taught(c for c in courses if c.course_format == fmt) == set(COURSE_LEVELS)
    assert any(c.course_format == CourseFormat.INTENSIVE for c in courses)


def test_some_demo_courses_are_full(demo):
    courses = list(NorwegianCoursePage.objects.live())
    places = places_for(booking_model=Enrolment, holders=courses)

    full = [course for course in courses if places[course.pk].is_full]

    assert len(full) == len(DATA["full"])
    assert any(not course.waitlist_enabled for course in full)


def test_every_demo_course_is_valid_and_written_in_both_languages(demo):
    for course in NorwegianCoursePage.objects.live():
        course.full_clean()
        assert course.missing_translations() == {}


def test_the_catalogue_replaces_the_information_page_in_the_menu(demo):
    catalogue = NorwegianCourseCatalogPage.objects.get()
    information = InformationPage.objects.get(slug_en=DATA["information_page"])

    assert {"nb": catalogue.slug_nb, "en": catalogue.slug_en} == DATA["catalogue"]["slug"]
    assert catalogue.show_in_menus and catalogue.live
    assert not information.show_in_menus and information.live


def _seeded_emails(plans=None):
    """The course demo's students (their emails), those with a plan in ``plans`` if given.

    Other parts of the demo have students of their own, some with the same names.
    """
    return {
        student_email(student["first_name"], student["last_name"])
        for student in STUDENTS
        if plans is None or student.get("plan", [None])[0] in plans
    }


def _emails(profiles):
    return {profile.user.email for profile in profiles.select_related("user")}


def test_coverage_counts_on_the_seeded_students(demo):
    # The rest of the demo (the arrival plans' students) has students of its own.
    students = coverage_students()
    seeded = _seeded_emails()
    report = coverage_report()

    assert seeded <= _emails(students)
    assert _emails(students.filter(has_place=True)) == _seeded_emails({"place"})
    assert _emails(students.filter(has_place=False, on_waitlist=True)) == _seeded_emails({"wait"})
    assert _seeded_emails({None})
    assert _seeded_emails({None}) <= _emails(students.filter(has_place=False, on_waitlist=False))
    assert (report.total.total, report.total.enrolled, report.total.waitlisted) == (
        students.count(),
        len(_seeded_emails({"place"})),
        len(_seeded_emails({"wait"})),
    )
    assert report.total.nothing == students.count() - len(_seeded_emails({"place", "wait"}))


def test_the_seeded_students_offered_nothing_are_listed_by_name(demo):
    listed = _emails(offered_nothing())

    assert listed & _seeded_emails() == _seeded_emails({None})


def test_seeding_again_changes_nothing(demo):
    before = (NorwegianCoursePage.objects.count(), Enrolment.objects.count())

    with translation.override("nb"):
        seed_courses()

    assert (NorwegianCoursePage.objects.count(), Enrolment.objects.count()) == before


@pytest.mark.parametrize(
    ("status", "stay_days"),
    [("incoming_exchange", 120), ("international_degree", None), ("phd", None)],
    ids=["one-semester-exchange", "degree", "phd"],
)
def test_a_new_student_can_enrol_in_a_course_suggested_to_them(demo, status, stay_days):
    today = timezone.localdate()
    departure = today + datetime.timedelta(days=stay_days) if stay_days else None
    newcomer = student_create(status=status, arrival=today, departure=departure)
    services.placement_record(user=newcomer, answers={})

    suggested = suggested_courses(student=student_get(user=newcomer))
    open_now = [row.course for row in suggested if row.course.application_state() == "open"]
    enrolment = services.enrolment_create(course=open_now[0], user=newcomer)

    assert enrolment.status == "confirmed"
