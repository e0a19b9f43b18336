"""Norwegian courses in a real browser: placement to enrolment, live places, accessibility."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from onboarding.accounts.models import StudentStatus
from onboarding.courses import services
from onboarding.courses.models import CourseFormat, Enrolment
from onboarding.units.kinds import UnitKind
from onboarding.units.services import international_staff_add
from tests.browser.helpers import assert_no_axe_violations, axe_report, db_access, sign_in
from tests.factories import UserFactory
from tests.onboarding.courses.factories import catalogue_create, course_create, student_create
from tests.onboarding.units.factories import directory_create, mfa_enable, unit_create

pytestmark = pytest.mark.browser

LANGUAGES = ["nb", "en"]
SKILLS = ("listening", "reading", "speaking", "writing")
CATALOGUE = {"nb": "/nb/norskkurs/", "en": "/en/norwegian-courses/"}
STAY = {
    "nb": "Dette kurset er for studenter som blir minst 9 måneder",
    "en": "This course is for students staying at least 9 months",
}
# Playwright's init scripts run before the page's own and are not subject to its CSP. site.js
# dispatches every server message as "live:message"; the consumer acknowledges a subscription
# with {"type": "subscribed", "topic": ...} once the socket is in the topic's group.
TRACK_SUBSCRIPTIONS = """
document.addEventListener("live:message", function (event) {
  var message = event.detail || {};
  if (message.type === "subscribed") {
    window.liveSubscribed = (window.liveSubscribed || []).concat([message.topic]);
  }
});
"""


def url_in(language, name, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def page_url(page, language):
    with translation.override(language):
        return page.get_url()


@pytest.fixture
def world(site_tree):
    """The language centre with courses at A1, A2 and B1, two faculties, and the catalogue."""
    directory = directory_create(site_tree["home"], publish=False)
    section = unit_create(
        directory,
        kind=UnitKind.INTERNATIONAL_SECTION,
        name_nb="Internasjonal seksjon",
        name_en="International Section",
        publish=False,
    )
    centre = unit_create(
        section,
        kind=UnitKind.LANGUAGE_CENTRE,
        name_nb="Språksenteret",
        name_en="Language Centre",
        publish=False,
    )
    faculty = unit_create(
        directory,
        kind=UnitKind.FACULTY,
        name_nb="Fakultet for naturvitenskap",
        name_en="Faculty of Natural Sciences",
        publish=False,
    )
    courses = {
        "A1": course_create(
            centre, level="A1", title_nb="Norsk for nybegynnere", title_en="Norwegian for beginners"
        ),
        "A2": course_create(
            centre,
            level="A2",
            prerequisite_level="A1",
            title_nb="Norsk, grunnleggende nivå",
            title_en="Norwegian, elementary",
        ),
        "B1": course_create(
            centre,
            level="B1",
            prerequisite_level="A2",
            course_format=CourseFormat.DIGITAL,
            online=True,
            location="",
            title_nb="Norsk, mellomnivå",
            title_en="Norwegian, intermediate",
        ),
    }
    catalogue_create(site_tree["home"])
    for number in range(3):
        student_create(faculty=faculty, first_name=f"Waiting{number}", last_name="Student")
    return {"centre": centre, "faculty": faculty, "courses": courses}


@pytest.fixture
def student(world):
    return student_create(
        faculty=world["faculty"], first_name="Ana", last_name="Silva", level="none"
    )


def staff_page(page_factory, asgi_server, **options):
    """A page logged in as a member of the International Section with two-factor authentication."""
    staff = UserFactory(first_name="Ingrid", last_name="Berg")
    international_staff_add(user=staff)
    mfa_enable(staff)
    return sign_in(page_factory(**options), asgi_server, staff)


# --- The whole flow ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_student_takes_the_placement_finds_the_suggested_course_and_enrols(
    asgi_server, page, world, student, language
):
    a2 = world["courses"]["A2"]
    a2_path = page_url(a2, language)
    sign_in(page, asgi_server, student)

    page.goto(url_in(language, "courses:placement"))
    for skill in SKILLS:
        page.check(f"#id_{skill}_0")  # "I can ..." at A1, in every skill
    with page.expect_navigation():
        page.locator("form.placement-form button[type=submit]").click()

    expect(page.locator(".placement-result__level")).to_contain_text("A1")
    suggested = page.locator(".course-card h3 a", has_text=getattr(a2, f"title_{language}"))
    expect(suggested).to_have_count(1)
    with page.expect_navigation():
        suggested.click()

    assert page.url.endswith(a2_path)
    with page.expect_navigation():
        page.locator(
            f"form[action='{url_in(language, 'courses:enrol', course_id=a2.pk)}'] button"
        ).click()

    expect(page.locator(".enrol-panel__status")).to_be_visible()
    with db_access():
        assert Enrolment.objects.get(person=student).course_id == a2.pk
        assert Enrolment.objects.get(person=student).status == "confirmed"


@pytest.mark.stack
def test_free_places_change_live_when_someone_else_enrols(asgi_server, page, world, student):
    a1 = world["courses"]["A1"]
    path = page_url(a1, "en")
    sign_in(page, asgi_server, student)
    page.add_init_script(TRACK_SUBSCRIPTIONS)
    page.goto(path)
    expect(page.locator("[data-places-text]")).to_have_text("10 of 10 places free.")
    # The change must come after the consumer has put the page in the course's topic.
    page.wait_for_function(
        "(topic) => (window.liveSubscribed || []).includes(topic)", arg=f"course:{a1.pk}"
    )

    with db_access():
        other = student_create(first_name="Other")
    asgi_server.call(services.enrolment_create, course=a1, user=other)

    expect(page.locator("[data-places-text]")).to_have_text("9 of 10 places free.")


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_cancel_a_course_and_its_page_says_so(
    asgi_server, page_factory, world, student, language
):
    a1 = world["courses"]["A1"]
    asgi_server.call(services.enrolment_create, course=a1, user=student)
    page = staff_page(page_factory, asgi_server)

    page.goto(url_in(language, "courses:cancel_course", course_id=a1.pk))
    assert_no_axe_violations(page)
    page.fill("#id_reason_nb", "For få påmeldte.")
    page.fill("#id_reason_en", "Too few applicants.")
    page.check("#id_confirm")
    with page.expect_navigation():
        page.locator("form.form-card button[type=submit]").click()

    assert page.url.endswith(url_in(language, "courses:participants", course_id=a1.pk))
    assert_no_axe_violations(page)  # the participants at 1280 px (320 px: test_mobile.py)
    with db_access():
        assert Enrolment.objects.get(person=student).status == "cancelled"
    page.goto(page_url(a1, language))
    reason = {"nb": "For få påmeldte.", "en": "Too few applicants."}[language]
    expect(page.locator(".notice--cancelled")).to_contain_text(reason)
    expect(page.locator(".enrol-panel form")).to_have_count(0)
    assert_no_axe_violations(page)


# --- Accessibility ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_has_no_axe_violations(asgi_server, page, world, language):
    page.goto(CATALOGUE[language])

    expect(page.locator(".course-card")).to_have_count(3)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_course_page_has_no_axe_violations(asgi_server, page, world, student, language):
    path = page_url(world["courses"]["A1"], language)
    sign_in(page, asgi_server, student)
    page.goto(path)

    expect(page.locator(".enrol-panel form")).to_have_count(1)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_placement_has_no_axe_violations(asgi_server, page, world, language):
    page.goto(url_in(language, "courses:placement"))

    assert_no_axe_violations(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_placement_result_and_catalogue_say_why_not_with_no_axe_violations(
    asgi_server, page, world, language
):
    # An exchange student staying five months; one A2 course is for stays of nine months.
    today = timezone.localdate()
    exchange = student_create(
        faculty=world["faculty"],
        status=StudentStatus.INCOMING_EXCHANGE,
        arrival=today - datetime.timedelta(days=30),
        departure=today + datetime.timedelta(days=5 * 31 - 30),
    )
    long_stay = course_create(
        world["centre"],
        level="A2",
        prerequisite_level="A1",
        min_stay_months=9,
        title_nb="Norsk A2 for helårsstudenter",
        title_en="Norwegian A2 for full-year students",
    )
    title = getattr(long_stay, f"title_{language}")
    sign_in(page, asgi_server, exchange)
    page.goto(url_in(language, "courses:placement"))
    page.check("#id_reading_0")
    page.check("#id_listening_0")
    page.check("#id_writing_0")
    with page.expect_navigation():
        page.locator("form.placement-form button[type=submit]").click()

    expect(page.locator(".placement-result__level")).to_be_visible()
    card = page.locator(".course-card", has_text=title)
    expect(card.locator(".course-card__why-not")).to_contain_text(STAY[language])
    reports = [axe_report(page)]
    page.set_viewport_size({"width": 320, "height": 800})
    reports.append(axe_report(page))
    page.goto(CATALOGUE[language])
    expect(card.locator(".course-card__why-not")).to_contain_text(STAY[language])
    reports.append(axe_report(page))
    page.set_viewport_size({"width": 1280, "height": 800})
    reports.append(axe_report(page))

    assert [report for report in reports if report] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_coverage_report_has_no_axe_violations(asgi_server, page_factory, world, language):
    page = staff_page(page_factory, asgi_server)

    response = page.goto(url_in(language, "courses:coverage"))

    assert response.status == 200
    expect(page.locator(".coverage-chart svg")).to_be_visible()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("which", ["course", "report"])
def test_course_page_and_report_do_not_scroll_sideways_at_320px(
    asgi_server, page_factory, world, which
):
    if which == "report":
        url = url_in("en", "courses:coverage")
        page = staff_page(page_factory, asgi_server, width=320)
    else:
        url = page_url(world["courses"]["B1"], "en")
        page = page_factory(320)

    page.goto(url)

    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
