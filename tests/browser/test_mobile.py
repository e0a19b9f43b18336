"""Phones and wide screens: the folded menu, the events listing, the responsibility matrix and the
staff's course tables at 360 and 320 px, the matrix at 1280 px, and axe at 320 and 1280 px."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from onboarding.courses import services as course_services
from onboarding.responsibilities.levels import Level, Role
from onboarding.responsibilities.models import ResponsibilityMatrixPage
from onboarding.responsibilities.services import (
    AssignmentSpec,
    area_assignments_replace,
    area_create,
)
from onboarding.units.kinds import UnitKind
from onboarding.units.services import international_staff_add
from tests.browser.helpers import axe_report, collect_problems, sign_in
from tests.factories import UserFactory
from tests.onboarding.activities.factories import event_create
from tests.onboarding.courses.factories import catalogue_create, course_create, student_create
from tests.onboarding.units.factories import (
    buddy_programme_create,
    mfa_enable,
    unit_create,
    unit_tree,
)

pytestmark = pytest.mark.browser

LANGUAGES = ["nb", "en"]
MATRIX = {"nb": "/nb/hvem-gjor-hva/", "en": "/en/who-does-what/"}
PHONE_HEIGHT = 740
# The header with its menu folded: one row (the name, the language and the toggle).
FOLDED_HEADER_MAX_PX = 80


def url_in(language, name, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def _matrix_create(home, tree):
    """The matrix page, with university-level parties as many and as long-named as the demo's."""
    page = ResponsibilityMatrixPage(title="Hvem gjør hva", slug="hvem-gjor-hva")
    page.title_nb, page.title_en = "Hvem gjør hva", "Who does what"
    page.slug_nb, page.slug_en = "hvem-gjor-hva", "who-does-what"
    page.intro_nb, page.intro_en = "Ansvarsfordelingen.", "The division of responsibility."
    home.add_child(instance=page)
    page.save_revision().publish()
    groups = {
        key: unit_create(
            tree["volunteer_index"],
            kind=UnitKind.VOLUNTEER_GROUP,
            name_nb=name_nb,
            name_en=name_en,
            publish=False,
        )
        for key, name_nb, name_en in [
            ("isu", "Den internasjonale studentunionen", "The International Student Union"),
            (
                "buddy",
                "Fadderordningen for internasjonale studenter",
                "Buddy Programme for International Students",
            ),
            (
                "isn",
                "ISN Trondheim – internasjonalt studentnettverk",
                "ISN Trondheim – International Student Network",
            ),
        ]
    }
    U, F = Level.UNIVERSITY, Level.FACULTY
    note = {"note_nb": "Arrangementer åpne for alle", "note_en": "Events open to everyone"}
    for number, (name_nb, name_en) in enumerate(
        [
            ("Informasjon før ankomst", "Pre-arrival information"),
            ("Sosial inkludering", "Social inclusion"),
            ("Ankomst og bolig", "Arrival and housing"),
        ]
    ):
        area = area_create(name_nb=name_nb, name_en=name_en, sort_order=number)
        area_assignments_replace(
            area=area,
            assignments=[
                AssignmentSpec(U, Role.ACCOUNTABLE, unit=tree["section"]),
                AssignmentSpec(U, Role.RESPONSIBLE, unit=tree["section"], **note),
                AssignmentSpec(U, Role.CONSULTED, unit=tree["language_centre"]),
                AssignmentSpec(U, Role.INFORMED, unit_kind=UnitKind.FACULTY),
                AssignmentSpec(U, Role.CONSULTED, unit=tree["parliament"]),
                AssignmentSpec(U, Role.RESPONSIBLE, unit=groups["isu"]),
                AssignmentSpec(U, Role.RESPONSIBLE, unit=groups["buddy"], **note),
                AssignmentSpec(U, Role.INFORMED, unit=groups["isn"]),
                AssignmentSpec(U, Role.RESPONSIBLE, unit_kind=UnitKind.VOLUNTEER_GROUP, **note),
                AssignmentSpec(F, Role.ACCOUNTABLE, unit_kind=UnitKind.FACULTY),
                AssignmentSpec(F, Role.RESPONSIBLE, unit_kind=UnitKind.STUDENT_COUNCIL),
            ],
        )


@pytest.fixture
def world(site_tree):
    """Units, the matrix, a few events, and a course with participants and a coverage report."""
    home = site_tree["home"]
    tree = unit_tree(home, publish=False)
    _matrix_create(home, tree)
    for number in range(3):
        event_create(
            tree["buddies"],
            publish=False,
            title_nb=f"Byvandring {number}",
            title_en=f"City walk {number}",
        )
    centre = tree["language_centre"]
    course = course_create(
        centre, level="A1", title_nb="Norsk for nybegynnere", title_en="Norwegian for beginners"
    )
    catalogue_create(home, publish=False)
    for number in range(3):
        student = student_create(
            faculty=tree["faculty_a"],
            first_name=f"Maximiliana{number}",
            last_name="Vasconcelos-Oyelaran",
        )
        course_services.enrolment_create(course=course, user=student)
    student_create(faculty=tree["faculty_b"], first_name="Ana", last_name="Silva")
    staff = UserFactory(first_name="Ingrid", last_name="Berg")
    international_staff_add(user=staff)
    mfa_enable(staff)
    return {"course": course, "staff": staff}


def _scroll_width(page):
    return page.evaluate("() => document.documentElement.scrollWidth")


def _open(page, path):
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"


def _tab_to_all(page, hrefs, *, limit=40):
    """Press Tab until every link in ``hrefs`` has had focus; return those that never did."""
    left = set(hrefs)
    for _ in range(limit):
        page.keyboard.press("Tab")
        left.discard(page.evaluate("() => document.activeElement.getAttribute('href')"))
        if not left:
            break
    return left


def _check_the_folded_menu(page, header, toggle, main_links, width, reports):
    """Folded: one row, its links out of sight and out of the tab order. Opened from the
    keyboard: the search field and every link reached with Tab; Escape folds it again."""
    assert header.bounding_box()["height"] <= FOLDED_HEADER_MAX_PX
    expect(main_links.first).to_be_hidden()
    expect(page.locator("#site-search-q")).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.locator("details.site-menu")).to_have_attribute("open", "")
    expect(page.locator("#site-search-q")).to_be_visible()
    hrefs = main_links.evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert len(hrefs) >= 2
    assert _tab_to_all(page, hrefs) == set()
    assert _scroll_width(page) <= width
    if width == 320:
        reports.append(axe_report(page))
    page.keyboard.press("Escape")
    expect(page.locator("details.site-menu")).not_to_have_attribute("open", "")
    expect(toggle).to_be_focused()


def _check_the_table_scrolls_by_keyboard(page, table):
    """The table's scrolling box is reached with Tab and scrolled with the arrow keys."""
    region = page.locator("[role='region']").filter(has=page.locator(table))
    region.focus()
    expect(region).to_be_focused()
    if region.evaluate("box => box.scrollWidth > box.clientWidth"):
        page.keyboard.press("ArrowRight")
        # Chromium may scroll smoothly: wait for the box to move rather than read it at once.
        page.wait_for_function("box => box.scrollLeft > 0", arg=region.element_handle())


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_read_on_a_phone_and_the_matrix_fits_a_wide_screen(
    asgi_server, page_factory, world, language
):
    page = page_factory(360, height=PHONE_HEIGHT)
    problems = collect_problems(page)
    sign_in(page, asgi_server, world["staff"])
    pages = {
        "home": f"/{language}/",
        "events": url_in(language, "activities:event_list"),
        "matrix": MATRIX[language],
        "participants": url_in(language, "courses:participants", course_id=world["course"].pk),
        "coverage": url_in(language, "courses:coverage"),
    }
    header = page.locator("header.site-header")
    toggle = page.locator("summary.site-menu__toggle")
    main_links = page.locator("nav.main-nav a")
    reports = []

    for width in (360, 320):
        page.set_viewport_size({"width": width, "height": PHONE_HEIGHT})
        for name, path in pages.items():
            _open(page, path)
            if name == "home":
                _check_the_folded_menu(page, header, toggle, main_links, width, reports)
            elif name == "events":
                # The filters folded, the first event on the first screen.
                expect(page.locator("form.event-filters")).to_be_hidden()
                assert page.locator(".event-card").first.bounding_box()["y"] < PHONE_HEIGHT
            elif name == "matrix":
                # A card per area and no table.
                expect(page.locator(".matrix-card").first).to_be_visible()
                expect(page.locator("table.matrix").first).to_be_hidden()
            elif name == "coverage":
                _check_the_table_scrolls_by_keyboard(page, "table.coverage-table")
            assert _scroll_width(page) <= width, f"{name} scrolls sideways at {width} px"
            if width == 320 and name != "home":
                reports.append(axe_report(page))

    page.set_viewport_size({"width": 1280, "height": 800})
    for name in ("home", "events", "matrix"):  # the wide layouts that changed
        _open(page, pages[name])
        expect(toggle).to_be_hidden()
        expect(main_links.first).to_be_visible()
        expect(page.locator("#site-search-q")).to_be_visible()
        if name == "matrix":
            tables = page.locator(".matrix-level .table-wrap")
            assert tables.count() == 2
            expect(tables.first).to_be_visible()
            expect(page.locator(".matrix-card").first).to_be_hidden()
            widths = tables.evaluate_all("boxes => boxes.map(b => [b.scrollWidth, b.clientWidth])")
            assert all(scroll <= client for scroll, client in widths), widths
        if name == "events":
            expect(page.locator("form.event-filters")).to_be_visible()
        reports.append(axe_report(page))

    assert [report for report in reports if report] == []
    assert problems == []


@pytest.fixture
def two_organisers(site_tree):
    """The Buddy Programme and the Student Choir, with an event each."""
    buddies = buddy_programme_create(site_tree["home"])
    choir = unit_create(
        buddies.get_parent(),
        kind=UnitKind.VOLUNTEER_GROUP,
        name_nb="Studentkoret",
        name_en="Student Choir",
        publish=False,
    )
    event_create(buddies, publish=False, title_nb="Byvandring", title_en="City walk")
    event_create(choir, publish=False, title_nb="Korøvelse", title_en="Choir rehearsal")
    return choir


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_phone_menu_and_the_event_filters_work_without_javascript(
    asgi_server, page_factory, two_organisers, language
):
    page = page_factory(360, height=PHONE_HEIGHT, java_script_enabled=False)
    problems = collect_problems(page)
    events = url_in(language, "activities:event_list")
    _open(page, f"/{language}/")
    menu = page.locator("details.site-menu")
    events_link = page.locator(f"nav.main-nav a[href='{events}']")
    expect(events_link).to_be_hidden()

    # The folded menu opens (a <details>, no script needed) and its links lead on.
    page.locator("summary.site-menu__toggle").click()
    expect(menu).to_have_attribute("open", "")
    expect(page.locator("#site-search-q")).to_be_visible()
    with page.expect_navigation():
        events_link.click()
    assert page.url.endswith(events)

    # The filters are folded away; opened, they filter by organiser.
    filters = page.locator("form.event-filters")
    expect(filters).to_be_hidden()
    expect(page.locator(".event-card")).to_have_count(2)
    page.locator("summary.filters-disclosure__toggle").click()
    expect(filters).to_be_visible()
    filters.locator("select[name='unit']").select_option(str(two_organisers.pk))
    with page.expect_navigation():
        filters.locator("[type='submit']").click()
    cards = page.locator(".event-card")
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text({"nb": "Korøvelse", "en": "Choir rehearsal"}[language])
    # In use, the filters stay open after the page comes back.
    expect(filters).to_be_visible()
    assert _scroll_width(page) <= 360
    assert problems == []
