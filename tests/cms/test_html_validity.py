"""The pages people reported problems on are valid HTML, in both languages (Nu HTML Checker).

Each test renders a set of pages with Django's test client, in Norwegian and English, and
checks them all in one run of the checker (starting Java takes seconds). The sets: what a
student and a visitor see, and what organisers and International Section staff see.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from cms.models import HomePage
from onboarding.accounts.models import StudentStatus
from onboarding.activities.services import event_cancel, signup_create
from onboarding.courses import services as course_services
from onboarding.live.services import notify
from onboarding.responsibilities.levels import Level, Role
from onboarding.responsibilities.models import ResponsibilityMatrixPage
from onboarding.responsibilities.services import (
    AssignmentSpec,
    area_assignments_replace,
    area_create,
)
from onboarding.units.kinds import UnitKind
from onboarding.units.services import follow_create, international_staff_add, unit_editor_add
from tests.factories import UserFactory
from tests.onboarding.activities.factories import event_create
from tests.onboarding.checklists.conftest import fast_unit_tree
from tests.onboarding.checklists.factories import checklist_create
from tests.onboarding.courses.factories import (
    answers_up_to,
    catalogue_create,
    course_create,
    student_create,
)
from tests.onboarding.units.factories import mfa_enable
from tests.shared import fresh, module_transaction
from tests.tools import nu_errors, nu_report, require_nu_checker

pytestmark = pytest.mark.django_db

LANGUAGES = ["nb", "en"]
GO_ABROAD = {"nb": "/nb/utveksling/", "en": "/en/go-abroad/"}
MATRIX = {"nb": "/nb/hvem-gjor-hva/", "en": "/en/who-does-what/"}
CATALOGUE = {"nb": "/nb/norskkurs/", "en": "/en/norwegian-courses/"}
SEARCH_FOR = {"nb": "utveksling", "en": "abroad"}


def _matrix_create(home, tree):
    page = ResponsibilityMatrixPage(title="Hvem gjør hva", slug="hvem-gjor-hva")
    page.title_nb, page.title_en = "Hvem gjør hva", "Who does what"
    page.slug_nb, page.slug_en = "hvem-gjor-hva", "who-does-what"
    page.intro_nb, page.intro_en = "Ansvarsfordelingen.", "The division of responsibility."
    home.add_child(instance=page)
    page.save_revision().publish()
    area = area_create(name_nb="Ankomst og bolig", name_en="Arrival and housing")
    note = {"note_nb": "Arrangementer åpne for alle", "note_en": "Events open to everyone"}
    area_assignments_replace(
        area=area,
        assignments=[
            AssignmentSpec(Level.UNIVERSITY, Role.ACCOUNTABLE, unit=tree["section"]),
            AssignmentSpec(Level.UNIVERSITY, Role.RESPONSIBLE, unit=tree["buddies"], **note),
            AssignmentSpec(Level.UNIVERSITY, Role.INFORMED, unit_kind=UnitKind.FACULTY),
            AssignmentSpec(Level.FACULTY, Role.ACCOUNTABLE, unit_kind=UnitKind.FACULTY),
            AssignmentSpec(Level.FACULTY, Role.RESPONSIBLE, unit_kind=UnitKind.STUDENT_COUNCIL),
        ],
    )


def _world():
    home = HomePage.objects.get()
    tree = fast_unit_tree(home)
    _matrix_create(home, tree)
    catalogue_create(home, publish=False)
    today = timezone.localdate()

    # A student: following the choir, signed up to an event that goes ahead and to one that
    # is called off, an A1 placement and a stay too short for one of the A2 courses.
    student = student_create(
        faculty=tree["faculty_a"],
        status=StudentStatus.INCOMING_EXCHANGE,
        arrival=today - datetime.timedelta(days=30),
        departure=today + datetime.timedelta(days=5 * 31 - 30),
        first_name="Kyung-min",
        last_name="Park",
        preferred_name="Kim",
    )
    follow_create(user=student, unit=tree["choir"])
    event_create(tree["choir"], title_nb="Korøvelse for nye", title_en="Rehearsal for newcomers")
    checklist_create(tree["choir"], title=("Sjekkliste for korister", "Checklist for choir"))
    going = event_create(tree["buddies"], capacity=1, title_nb="Byvandring", title_en="City walk")
    signup = signup_create(event=going, user=student)
    called_off = event_create(
        tree["buddies"], capacity=10, title_nb="Elvepadling", title_en="River paddling"
    )
    signup_create(event=called_off, user=student)
    organiser = UserFactory(first_name="Ola", last_name="Nordmann")
    unit_editor_add(unit=tree["buddies"], user=organiser)
    event_cancel(event=called_off, by=organiser, reason_nb="Flom i elva.", reason_en="Flooding.")
    notify(
        recipients=[student],
        kind="event_changed",
        context={"event_title": {"nb": "Fadderuke", "en": "Buddy week"}, "changed": ["time"]},
        url={"nb": "/nb/", "en": "/en/"},
        email=False,
    )
    centre = tree["language_centre"]
    a1 = course_create(centre, level="A1", title_nb="Norsk for nybegynnere", title_en="Beginners")
    course_create(centre, level="A2", title_nb="Norsk A2", title_en="Norwegian A2")
    course_create(centre, level="A2", min_stay_months=9, title_nb="Norsk A2 lang", title_en="Long")
    course_services.placement_record(user=student, answers=answers_up_to("A1"))
    course_services.enrolment_create(course=a1, user=student)
    staff = mfa_enable(UserFactory(first_name="Ingrid", last_name="Berg"))
    international_staff_add(user=staff)
    nameless = UserFactory(first_name="", last_name="")
    return {
        "student": student,
        "nameless": nameless,
        "organiser": organiser,
        "staff": staff,
        "going": going,
        "called_off": called_off,
        "signup": signup,
        "a1": a1,
    }


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker), translation.override("en"):
        yield _world()


@pytest.fixture
def world(_module_world, db):
    return fresh(_module_world)


def _in(language, name, *args, **kwargs):
    with translation.override(language):
        return reverse(name, args=args or None, kwargs=kwargs or None)


def _page_url(page, language):
    with translation.override(language):
        return page.get_url()


def _render(pages):
    """``{path: html}`` for ``[(client, path, marker), ...]``; every page must answer 200 and
    contain its marker, so each is checked in the state the test means (a reason shown, say)."""
    documents = {}
    for client, path, marker in pages:
        response = client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        documents[path] = response.content.decode()
        assert marker in documents[path], f"{path} lacks {marker!r}"
    return documents


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_what_students_and_visitors_see_is_valid_html(world):
    require_nu_checker()  # before rendering: skipped (or failed in CI) at once without Java
    visitor, student = _client(), _client(world["student"])
    nameless = _client(world["nameless"])
    pages = []
    for language in LANGUAGES:
        pages += [
            (visitor, f"/{language}/", 'id="site-search-q"'),
            (visitor, f"{_in(language, 'search')}?q={SEARCH_FOR[language]}", GO_ABROAD[language]),
            (visitor, GO_ABROAD[language], 'href="tel:'),
            (visitor, MATRIX[language], "matrix-card"),
            (visitor, _in(language, "account_login"), 'name="password"'),
            (visitor, _in(language, "account_signup"), 'name="preferred_name"'),
            (visitor, _in(language, "activities:event_list"), "filters-disclosure"),
            (student, _in(language, "activities:event_list"), "event-card"),
            (student, _page_url(world["going"], language), "data-places-text"),
            (student, _page_url(world["called_off"], language), "notice--cancelled"),
            (student, _in(language, "activities:ticket", world["signup"].ticket_code), "Kim"),
            (student, _in(language, "unit_connections"), "connections-events-heading"),
            (student, _in(language, "live:notification_list"), "<time datetime="),
            (student, _in(language, "courses:placement_result"), "course-card__why-not"),
            (student, CATALOGUE[language], "course-card__why-not"),
            (nameless, _in(language, "profile_edit"), _in(language, "account_preferences")),
            (nameless, _in(language, "account_preferences"), 'name="preferred_name"'),
        ]

    errors = nu_errors(_render(pages))

    assert errors == {}, nu_report(errors)


def test_what_organisers_and_staff_see_is_valid_html(world):
    require_nu_checker()
    organiser, staff = _client(world["organiser"]), _client(world["staff"])
    pages = []
    for language in LANGUAGES:
        pages += [
            (
                organiser,
                _in(language, "activities:checkin", world["going"].pk),
                "data-checkin-code-form",
            ),
            (organiser, _in(language, "activities:attendees", world["going"].pk), "Park"),
            (organiser, _in(language, "activities:attendees", world["called_off"].pk), "Park"),
            (staff, _in(language, "courses:participants", course_id=world["a1"].pk), "Park"),
            (staff, _in(language, "courses:coverage"), 'role="region"'),
        ]

    errors = nu_errors(_render(pages))

    assert errors == {}, nu_report(errors)
