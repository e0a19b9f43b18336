"""Small builders for Norwegian course tests: course pages, students with profiles, staff."""

import datetime
import itertools

from django.utils import timezone

from onboarding.accounts.models import StudentStatus
from onboarding.accounts.profile_services import profile_save
from onboarding.courses.models import CourseFormat, NorwegianCourseCatalogPage, NorwegianCoursePage
from onboarding.courses.semesters import Semester
from tests.factories import UserFactory

_numbers = itertools.count(1)


def catalogue_create(home, *, publish=True):
    """The catalogue at /nb/norskkurs/ and /en/norwegian-courses/."""
    page = NorwegianCourseCatalogPage(title="Norskkurs", slug="norskkurs")
    page.title_nb, page.title_en = "Norskkurs", "Norwegian courses"
    page.slug_nb, page.slug_en = "norskkurs", "norwegian-courses"
    page.intro_nb, page.intro_en = "Finn kurset ditt.", "Find your course."
    page.show_in_menus = True
    home.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return page


def course_create(centre, *, level="A1", level_to=None, publish=False, now=None, **fields):
    """A live course under ``centre`` whose application is open now, in both languages.

    The first day is three weeks from ``now`` (its semester follows from it),
    the application opened yesterday and closes in ten days. ``fields``
    override any field; without ``publish`` the page is saved live directly.
    """
    now = now or timezone.now()
    number = next(_numbers)
    starts_on = fields.pop("starts_on", timezone.localdate(now) + datetime.timedelta(days=21))
    semester = Semester.containing(starts_on)
    title_nb = fields.pop("title_nb", f"Norsk {level} nummer {number}")
    title_en = fields.pop("title_en", f"Norwegian {level} number {number}")
    values = {
        "level_from": level,
        "level_to": level_to or level,
        "course_format": CourseFormat.CAMPUS,
        "year": semester.year,
        "term": semester.term,
        "starts_on": starts_on,
        "ends_on": starts_on + datetime.timedelta(days=90),
        "weekdays": [0, 2],
        "start_time": datetime.time(10, 15),
        "end_time": datetime.time(12, 0),
        "location": "Gamle fysikk, rom 101",
        "online": False,
        "ects_credits": "7.5",
        "capacity": 10,
        "waitlist_enabled": True,
        "application_opens_at": now - datetime.timedelta(days=1),
        "application_closes_at": now + datetime.timedelta(days=10),
        "allowed_statuses": [],
        **fields,
    }
    page = NorwegianCoursePage(title=title_nb, slug=f"norsk-{number}", **values)
    page.title_nb, page.title_en = title_nb, title_en
    page.slug_nb, page.slug_en = f"norsk-{number}", f"norwegian-{number}"
    page.description_nb = "<p>Et kurs i norsk.</p>"
    page.description_en = "<p>A course in Norwegian.</p>"
    page.learning_outcomes_nb = "<p>Du kan snakke norsk.</p>"
    page.learning_outcomes_en = "<p>You can speak Norwegian.</p>"
    if not publish:
        page.live = True
        page.first_published_at = now
    centre.add_child(instance=page)
    if publish:
        page.save_revision().publish()
        page.refresh_from_db()
    return page


def student_create(
    *,
    status=StudentStatus.INTERNATIONAL_DEGREE,
    faculty=None,
    arrival=None,
    departure=None,
    level="none",
    language="en",
    **fields,
):
    """A user with a student profile (through the accounts service)."""
    user = UserFactory(language=language, **fields)
    profile_save(
        user=user,
        status=status,
        faculty=faculty,
        arrival_date=arrival or datetime.date(2026, 8, 10),
        departure_date=departure,
        norwegian_level=level,
        language=language,
    )
    return user


def answers_up_to(level):
    """Placement answers that tick every statement up to ``level`` in every skill."""
    levels = ["A1", "A2", "B1", "B2", "C1"]
    ticked = levels[: levels.index(level) + 1] if level in levels else []
    return {skill: list(ticked) for skill in ("listening", "reading", "speaking", "writing")}
