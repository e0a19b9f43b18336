"""Units and the matrix in Chromium: axe on the directory, a unit page and "Who does what" in both
languages and at 320 px; following and unfollowing; the one-click confirmation in the editor;
handing over: an editor invites an organiser, who accepts and checks people in."""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from onboarding.activities.services import signup_create
from onboarding.responsibilities.levels import Level, Role
from onboarding.responsibilities.models import ResponsibilityMatrixPage
from onboarding.responsibilities.services import (
    AssignmentSpec,
    area_assignments_replace,
    area_create,
)
from onboarding.units.kinds import UnitKind
from onboarding.units.models import Follow, UnitPage
from onboarding.units.services import unit_editor_add
from tests.factories import StaffFactory, UserFactory
from tests.onboarding.activities.factories import event_create
from tests.onboarding.units.factories import buddy_programme_create, mfa_enable, unit_tree

from .helpers import assert_no_axe_violations, axe_report, collect_problems, db_access, sign_in

pytestmark = pytest.mark.browser

LANGUAGES = ["nb", "en"]
DIRECTORY = {"nb": "/nb/enheter/", "en": "/en/units/"}
MATRIX = {"nb": "/nb/hvem-gjor-hva/", "en": "/en/who-does-what/"}


@pytest.fixture
def chart(site_tree, asgi_server):
    """The small organisation chart, a matrix page and one area in it, committed for the server."""
    tree = unit_tree(site_tree["home"], publish=False)
    page = ResponsibilityMatrixPage(title="Hvem gjør hva", slug="hvem-gjor-hva")
    page.title_nb, page.title_en = "Hvem gjør hva", "Who does what"
    page.slug_nb, page.slug_en = "hvem-gjor-hva", "who-does-what"
    page.intro_nb, page.intro_en = "Ansvarsfordelingen.", "The division of responsibility."
    site_tree["home"].add_child(instance=page)
    page.save_revision().publish()
    area = area_create(name_nb="Ankomst og bolig", name_en="Arrival and housing")
    area_assignments_replace(
        area=area,
        assignments=[
            AssignmentSpec(Level.UNIVERSITY, Role.ACCOUNTABLE, unit=tree["section"]),
            AssignmentSpec(
                Level.UNIVERSITY, Role.RESPONSIBLE, unit=tree["buddies"], note_en="Airport pickup"
            ),
            AssignmentSpec(Level.FACULTY, Role.ACCOUNTABLE, unit_kind=UnitKind.FACULTY),
            AssignmentSpec(Level.FACULTY, Role.RESPONSIBLE, unit_kind=UnitKind.FACULTY),
            AssignmentSpec(Level.FACULTY, Role.CONSULTED, unit_kind=UnitKind.STUDENT_COUNCIL),
        ],
    )
    # One unit not confirmed for over a year: its notice and badge are checked too.
    UnitPage.objects.filter(pk=tree["choir"].pk).update(
        last_confirmed=tree["choir"].first_published_at.replace(year=2020)
    )
    return tree


def _unit_url(unit, language):
    with translation.override(language):
        return UnitPage.objects.get(pk=unit.pk).get_url()


def _open(page, path):
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"


def _assert_clean_at_both_widths(page):
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_no_axe_violations(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("language", LANGUAGES)
def test_directory_has_no_axe_violations(chart, page, language):
    _open(page, DIRECTORY[language])
    expect(page.locator("h2#kind-faculty")).to_be_visible()
    _assert_clean_at_both_widths(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_filtered_directory_has_no_axe_violations(chart, page, language):
    _open(page, f"{DIRECTORY[language]}?kind=volunteer_group&q=o")
    _assert_clean_at_both_widths(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_unit_page_has_no_axe_violations(chart, page, language):
    with db_access():
        path = _unit_url(chart["faculty_a"], language)
    _open(page, path)
    _assert_clean_at_both_widths(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_stale_unit_page_has_no_axe_violations(chart, page, language):
    with db_access():
        path = _unit_url(chart["choir"], language)
    _open(page, path)
    expect(page.locator(".unit-notice")).to_be_visible()
    _assert_clean_at_both_widths(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_matrix_page_has_no_axe_violations(chart, page, language):
    _open(page, MATRIX[language])
    expect(page.locator("table.matrix")).to_have_count(2)
    _assert_clean_at_both_widths(page)


def test_matrix_print_button_appears_with_javascript(chart, page):
    _open(page, MATRIX["en"])
    expect(page.locator("[data-print-page]")).to_be_visible()


def test_directory_search_works_without_javascript(chart, page_factory):
    page = page_factory(java_script_enabled=False)
    _open(page, DIRECTORY["en"])
    page.get_by_label("Name").fill("fysikk")
    page.get_by_role("button", name="Show units").click()
    expect(page.get_by_role("link", name="Department of Physics")).to_be_visible()
    expect(page.get_by_role("link", name="Faculty of Humanities")).to_have_count(0)


@pytest.mark.parametrize("language", LANGUAGES)
def test_student_follows_and_unfollows_a_unit(chart, page, asgi_server, language):
    with db_access():
        student = UserFactory(language=language)
        unit_path = _unit_url(chart["buddies"], language)
        with translation.override(language):
            from django.urls import reverse

            connections = reverse("unit_connections")
    sign_in(page, asgi_server, student)

    _open(page, unit_path)
    with page.expect_navigation():
        page.locator("form.follow__form button[type='submit']").click()
    expect(page.locator(".follow__status")).to_be_visible()
    with db_access():
        assert Follow.objects.filter(user=student, unit=chart["buddies"]).exists()

    _open(page, connections)
    expect(page.locator(f"a[href='{unit_path}']")).to_be_visible()
    assert_no_axe_violations(page, context={"exclude": [[".messages"]]})
    with page.expect_navigation():
        page.locator(".unit-card__action button").click()
    with db_access():
        assert not Follow.objects.filter(user=student).exists()
    expect(page.locator(f"a[href='{unit_path}']")).to_have_count(0)


def test_editor_confirms_their_unit_with_one_click_in_the_editor(chart, page, asgi_server):
    with db_access():
        editor = mfa_enable(StaffFactory(language="en"))
        unit_editor_add(unit=chart["choir"], user=editor)
        edit_path = f"/admin/pages/{chart['choir'].pk}/edit/"
    sign_in(page, asgi_server, editor)

    _open(page, edit_path)
    button = page.get_by_role("button", name="Confirm this page is up to date")
    expect(button).to_be_visible()
    with page.expect_navigation():
        button.click()

    assert page.url.endswith(edit_path)
    with db_access():
        assert not UnitPage.objects.get(pk=chart["choir"].pk).is_stale


HANDOVER_ACCEPTED = {
    "nb": "Du er nå arrangør for Fadderordningen",
    "en": "You are now an organiser of Buddy Programme",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_editor_invites_an_organiser_who_accepts_and_checks_people_in(
    site_tree, page_factory, asgi_server, language
):
    unit = buddy_programme_create(site_tree["home"])
    event = event_create(unit, capacity=10, publish=True)
    signup = signup_create(event=event, user=UserFactory(first_name="Ana", last_name="Silva"))
    editor = mfa_enable(UserFactory(language=language))
    unit_editor_add(unit=unit, user=editor)
    invitee = UserFactory(language=language, email=f"next.board.{language}@example.org")
    mail.outbox = []

    # The editor invites the next board's organiser from the unit's people page.
    editor_page = page_factory()
    editor_problems = collect_problems(editor_page)
    sign_in(editor_page, asgi_server, editor)
    _open(editor_page, f"/admin/units/{unit.pk}/people/")
    invite = editor_page.locator(f"form[action='/admin/units/{unit.pk}/people/']")
    invite.locator("input[name='email']").fill(invitee.email)
    invite.locator("input[name='role'][value='organiser']").check()
    with editor_page.expect_navigation():
        invite.locator("button[type='submit']").click()
    expect(editor_page.locator("main table").first).to_contain_text(invitee.email)
    if language == "en":  # axe takes seconds on an admin page, whose markup is the same in both
        report = axe_report(editor_page)
        assert not report, report

    with db_access():
        (sent,) = [message for message in mail.outbox if message.to == [invitee.email]]
        link = next(
            word
            for word in sent.body.split()
            if "/unit-invitation/" in word or "/enhetsinvitasjon/" in word
        )
    # The invitee opens the link from the email, accepts, and is an organiser.
    invitee_page = page_factory()
    invitee_problems = collect_problems(invitee_page)
    sign_in(invitee_page, asgi_server, invitee)
    _open(invitee_page, urlsplit(link).path)
    assert invitee_page.locator("html").get_attribute("lang") == language
    assert_no_axe_violations(invitee_page)
    with invitee_page.expect_navigation():
        invitee_page.locator("main form button[type='submit']").click()
    expect(invitee_page.locator(".messages")).to_contain_text(HANDOVER_ACCEPTED[language])

    # The new organiser checks the attendee in at the unit's event.
    with translation.override(language):
        checkin = reverse("activities:checkin", args=[event.pk])
    _open(invitee_page, checkin)
    code = invitee_page.locator("[data-checkin-code-form] input[name='code']")
    code.fill(signup.ticket_code)
    invitee_page.locator("[data-checkin-code-form] button").click()
    expect(invitee_page.locator("[data-checkin-result]")).to_contain_text("Ana Silva")
    assert_no_axe_violations(invitee_page)
    editor_problems.assert_none()
    invitee_problems.assert_none()
