"""The Wagtail admin in Chromium, in both languages: adding checklist items and matrix roles
through inline panels, creating an event while autosave runs and publishing one while an autosave
is on its way, with no CSP violation or script error in the console, and axe at 1280 and 320 px."""

import time

import pytest
from playwright.sync_api import expect

from onboarding.activities.models import EventPage
from onboarding.checklists.models import ChecklistPage
from onboarding.responsibilities.levels import Level, Role
from onboarding.responsibilities.models import Assignment
from onboarding.responsibilities.services import area_create
from onboarding.units.kinds import UnitKind
from onboarding.units.services import international_staff_add, unit_editor_add
from tests.factories import StaffFactory, UserFactory
from tests.onboarding.activities.factories import event_create
from tests.onboarding.checklists.factories import checklist_create, item_spec
from tests.onboarding.units.factories import (
    buddy_programme_create,
    directory_create,
    mfa_enable,
    unit_create,
)

from .conftest import DEFAULT_TIMEOUT_MS
from .helpers import ConsoleErrors, axe_report, db_access, sign_in

pytestmark = pytest.mark.browser

LANGUAGES = ["nb", "en"]
PUBLISH = {"nb": "Publiser", "en": "Publish"}
SAVE = {"nb": "Lagre", "en": "Save"}
DRAFT_IN_THE_WAY = {
    "nb": "brukes allerede av det upubliserte utkastet «Velkomstmiddag»",
    "en": "already used by the unpublished draft “Welcome”",
}


# Wagtail's rich text editor (Draftail) is not ours to change: its editable area is a
# role="textbox" named only by a placeholder (aria-input-field-name), and at 320 px its root
# scrolls without taking focus itself (scrollable-region-focusable; the textbox inside does).
NOT_OURS = {
    "aria-input-field-name": ".Draftail-Editor .public-DraftEditor-content",
    "scrollable-region-focusable": ".Draftail-Editor .DraftEditor-root",
}


# axe takes seconds on an admin page, and the admin's markup is the same in both languages:
# each test checks its pages in one of them (the checklist and the matrix in Norwegian, the
# event form in English).
AXE_LANGUAGE = {"checklist": "nb", "matrix": "nb", "event": "en"}


def _admin_axe(page):
    """axe's report on an admin page, less what comes from Wagtail's rich text editor."""
    return axe_report(page, ignore=NOT_OURS)


def assert_reports_clean(reports):
    failures = [report for report in reports if report]
    assert not failures, "\n\n".join(failures)


PUBLISH_TIMEOUT_MS = 30_000


def _open(page, path):
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"


def _show_english_fields(page):
    """Turn on wagtail-modeltranslation's English fields (the editor shows Norwegian ones first)."""
    toggle = page.locator("button.locale-toggle", has_text="en")
    if "showing-locale" not in (toggle.get_attribute("class") or ""):
        toggle.click()
    expect(toggle).to_have_class("locale-toggle showing-locale")


def _publish(page, language):
    """Publish from the editor's action menu (Publish sits under the menu's toggle)."""
    publish = page.get_by_role("button", name=PUBLISH[language], exact=True)
    if not publish.is_visible():
        page.locator("footer .w-dropdown__toggle").first.click()
    # Publishing saves, publishes and renders the explorer in one request: on a busy two-core
    # machine that alone has taken most of the default 10 s.
    with page.expect_navigation(timeout=PUBLISH_TIMEOUT_MS):
        publish.click()


@pytest.fixture
def faculty(site_tree):
    directory = directory_create(site_tree["home"], publish=False)
    return unit_create(
        directory,
        kind=UnitKind.FACULTY,
        name_nb="Fakultet for naturvitenskap",
        name_en="Faculty of Natural Sciences",
        publish=False,
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_coordinator_adds_a_checklist_item(faculty, page, asgi_server, language):
    checklist = checklist_create(
        faculty,
        title=("Ankomst", "Arrival"),
        items=[item_spec(("Hent nøkkel", "Collect your key"))],
    )
    coordinator = mfa_enable(UserFactory(language=language))
    unit_editor_add(unit=faculty, user=coordinator)
    sign_in(page, asgi_server, coordinator)
    errors = ConsoleErrors(page)

    _open(page, f"/admin/pages/{checklist.pk}/edit/")
    _show_english_fields(page)
    page.locator("#id_items-ADD").click()
    new_item = page.locator("#id_items-FORMS > :not(.deleted)").nth(1)
    expect(new_item.locator("input[name='items-1-title_nb']")).to_be_visible()
    new_item.locator("input[name='items-1-title_nb']").fill("Registrer deg hos politiet")
    new_item.locator("input[name='items-1-title_en']").fill("Register with the police")
    _publish(page, language)

    with db_access():
        live = ChecklistPage.objects.get(pk=checklist.pk)
        titles = [item.title_en for item in live.items.order_by("sort_order")]
    assert titles == ["Collect your key", "Register with the police"]
    axe = language == AXE_LANGUAGE["checklist"]
    reports = [_admin_axe(page)] if axe else []  # the page tree the editor lands on
    # The editor again, unchanged (axe takes seconds: with edits, autosave would run meanwhile).
    _open(page, f"/admin/pages/{checklist.pk}/edit/")
    reports += [_admin_axe(page)] if axe else []
    page.set_viewport_size({"width": 320, "height": 800})
    expect(page.locator("#id_items-ADD")).to_be_visible()
    reports += [_admin_axe(page)] if axe else []
    errors.assert_none()
    assert_reports_clean(reports)


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_adds_a_role_to_the_matrix(site_tree, page, asgi_server, language):
    area = area_create(name_nb="Ankomst og bolig", name_en="Arrival and housing")
    staff = mfa_enable(StaffFactory(language=language))
    international_staff_add(user=staff)
    sign_in(page, asgi_server, staff)
    errors = ConsoleErrors(page)
    edit_path = f"/admin/snippets/responsibilities/responsibilityarea/edit/{area.pk}/"

    _open(page, edit_path)
    axe = language == AXE_LANGUAGE["matrix"]
    reports = [_admin_axe(page)] if axe else []
    # A level needs exactly one Accountable: add it and a Responsible, as two new rows.
    wanted = [
        (Level.FACULTY, Role.ACCOUNTABLE, UnitKind.FACULTY),
        (Level.FACULTY, Role.RESPONSIBLE, UnitKind.FACULTY),
    ]
    for index, (level, role, kind) in enumerate(wanted):
        page.locator("#id_assignments-ADD").click()
        row = f"assignments-{index}"
        expect(page.locator(f"select[name='{row}-level']")).to_be_visible()
        page.locator(f"select[name='{row}-level']").select_option(level)
        page.locator(f"select[name='{row}-role']").select_option(role)
        page.locator(f"select[name='{row}-unit_kind']").select_option(kind)
    with page.expect_navigation():
        page.get_by_role("button", name=SAVE[language], exact=True).click()

    with db_access():
        saved = Assignment.objects.filter(area=area).order_by("role")
        assignments = list(saved.values_list("level", "role", "unit_kind"))
    assert sorted(assignments) == sorted(wanted)
    reports += [_admin_axe(page)] if axe else []  # the list of areas, "saved" above it
    page.set_viewport_size({"width": 320, "height": 800})
    _open(page, edit_path)
    expect(page.locator("#id_assignments-ADD")).to_be_visible()
    reports += [_admin_axe(page)] if axe else []
    errors.assert_none()
    assert_reports_clean(reports)


@pytest.fixture
def buddies(site_tree):
    return buddy_programme_create(site_tree["home"])


def _fill_event(page, *, title_nb, title_en):
    _show_english_fields(page)
    page.locator("input[name='title_nb']").fill(title_nb)
    page.locator("input[name='title_en']").fill(title_en)
    page.locator("textarea[name='summary_nb']").fill("Middag for nye studenter.")
    page.locator("textarea[name='summary_en']").fill("Dinner for new students.")
    page.locator("input[name='start_at']").fill("2030-08-20 18:00")
    page.locator("input[name='end_at']").fill("2030-08-20 21:00")
    page.locator("input[name='building']").fill("Studentsenteret")


@pytest.mark.parametrize("language", LANGUAGES)
def test_editor_creates_an_event_after_leaving_a_form_half_filled(
    buddies, page, asgi_server, language
):
    # A draft left behind by an earlier session's autosave holds the slug "velkomstmiddag".
    stray = event_create(buddies, publish=False, title_nb="Velkomstmiddag", title_en="Welcome")
    EventPage.objects.filter(pk=stray.pk).update(live=False, first_published_at=None)
    editor = mfa_enable(UserFactory(language=language))
    unit_editor_add(unit=buddies, user=editor)
    sign_in(page, asgi_server, editor)
    errors = ConsoleErrors(page)
    add_path = f"/admin/pages/add/activities/eventpage/{buddies.pk}/"

    # A half-filled form left behind makes nothing: a new page is saved only on request.
    _open(page, add_path)
    form = page.locator("form#page-edit-form")
    assert "w-autosave" not in form.get_attribute("data-controller")
    axe = language == AXE_LANGUAGE["event"]
    reports = [_admin_axe(page)] if axe else []
    _show_english_fields(page)
    page.locator("input[name='title_nb']").fill("Quiz")
    page.locator("input[name='title_en']").fill("Quiz")
    _open(page, f"/admin/pages/{buddies.pk}/")
    with db_access():
        assert EventPage.objects.count() == 1

    # Starting again with a title the stray draft holds: the error is beside the title.
    _open(page, add_path)
    _fill_event(page, title_nb="Velkomstmiddag", title_en="Welcome dinner")
    _publish(page, language)
    title_error = page.locator("[data-field-wrapper]", has=page.locator("#id_title_nb"))
    expect(title_error.locator(".error-message")).to_contain_text(DRAFT_IN_THE_WAY[language])
    with db_access():
        assert EventPage.objects.count() == 1

    # The slug follows the new title (Wagtail syncs them on a page never published).
    page.locator("input[name='title_nb']").fill("Velkomstmiddag i august")
    page.locator("input[name='title_nb']").blur()
    _publish(page, language)
    with db_access():
        created = EventPage.objects.exclude(pk=stray.pk).get()
        assert (created.live, created.slug_nb) == (True, "velkomstmiddag-i-august")
    reports += [_admin_axe(page)] if axe else []  # the page tree, "published" above it
    page.set_viewport_size({"width": 320, "height": 800})
    _open(page, add_path)
    if axe:
        reports.append(_admin_axe(page))
        _open(page, f"/admin/pages/{buddies.pk}/")
        reports.append(_admin_axe(page))
    errors.assert_none()
    assert_reports_clean(reports)


# Wagtail's editor takes the form as it is two seconds after loading as the unchanged state,
# and says so with this event (more than once, within a short while); a change made before the
# last one would not count as an edit.
TRACK_WATCHING_EDITS = """
document.addEventListener("w-unsaved:watch-edits", function () {
  window.watchingEditsSince = performance.now();
});
"""
WATCHING_EDITS = (
    "() => window.watchingEditsSince && performance.now() - window.watchingEditsSince > 500"
)


def _is_autosave(request):
    """Wagtail's autosave: the edit form posted by fetch, asking for JSON."""
    return request.method == "POST" and "application/json" in request.headers.get("accept", "")


@pytest.mark.parametrize("language", LANGUAGES)
def test_editor_publishes_while_autosave_is_saving(buddies, page, asgi_server, language):
    event = event_create(buddies, title_nb="Quizkveld", title_en="Quiz night", publish=True)
    editor = mfa_enable(UserFactory(language=language))
    unit_editor_add(unit=buddies, user=editor)
    sign_in(page, asgi_server, editor)
    errors = ConsoleErrors(page)
    page.add_init_script(TRACK_WATCHING_EDITS)
    edit_path = f"/admin/pages/{event.pk}/edit/"
    held = []
    page.route(
        f"**{edit_path}",
        lambda route: held.append(route) if _is_autosave(route.request) else route.continue_(),
    )

    _open(page, edit_path)
    assert "w-autosave" in page.locator("form#page-edit-form").get_attribute("data-controller")
    page.wait_for_function(WATCHING_EDITS)
    page.locator("input[name='title_nb']").fill("Quizkveld i kjelleren")
    # The autosave starts half a second after the change: it is held on its way to the server,
    # Publish is clicked, and the autosave reaches the server after the publication.
    # On a busy machine the autosave can take seconds to start: wait as long as for any action.
    deadline = time.monotonic() + DEFAULT_TIMEOUT_MS / 1000
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert held, "the change was not autosaved"
    _publish(page, language)
    autosave = held[0].fetch()

    # The late autosave is refused (it would overwrite the published version) and saves nothing.
    assert autosave.status == 400, autosave.text()
    assert autosave.json()["error_code"] == "invalid_revision"
    # The admin names the page by its title in the admin's language.
    shown = {"nb": "Quizkveld i kjelleren", "en": "Quiz night"}[language]
    expect(page.locator(".messages .success")).to_contain_text(shown)
    with db_access():
        assert EventPage.objects.count() == 1
        published = EventPage.objects.get(pk=event.pk)
        assert (published.live, published.title_nb) == (True, "Quizkveld i kjelleren")
        assert not published.has_unpublished_changes
        assert published.latest_revision_id == published.live_revision_id
        assert published.revisions.count() == 2  # the first publication and this one
    errors.assert_none()


RESERVED_TOO_MANY = {
    "nb": "Kvotene reserverer 25 plasser, flere enn de 20 plassene som finnes.",
    "en": "The pools reserve 25 places, more than the 20 places there are.",
}
STATUS_LABEL = {"nb": "Internasjonal student (grad)", "en": "International degree student"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_editor_reserves_places_and_switches_the_waitlist_to_offers(
    buddies, page, asgi_server, language
):
    event = event_create(buddies, capacity=20, title_nb="Fjelltur", title_en="Mountain hike")
    editor = mfa_enable(UserFactory(language=language))
    unit_editor_add(unit=buddies, user=editor)
    sign_in(page, asgi_server, editor)
    errors = ConsoleErrors(page)
    edit_path = f"/admin/pages/{event.pk}/edit/"
    # Wagtail autosaves half a second after a change; an autosave of the invalid pools below
    # would be refused (400) before Publish is clicked on a busy machine. Autosaves are held
    # on their way, so only the editor's own Publish reaches the server.
    held = []
    page.route(
        f"**{edit_path}",
        lambda route: held.append(route) if _is_autosave(route.request) else route.continue_(),
    )
    _open(page, edit_path)

    page.locator("input[name='waitlist_offers']").check()
    page.locator("input[name='offer_hours']").fill("6")
    pools = page.locator("[data-contentpath='pools']")
    pools.locator("button[title], button.c-sf-add-button").first.click()
    rule = pools.locator("select[name='pools-0-value-rule']")
    rule.select_option("status")
    pools.get_by_label(STATUS_LABEL[language], exact=True).check()
    pools.locator("input[name='pools-0-value-places']").fill("8")
    _publish(page, language)

    with db_access():
        saved = EventPage.objects.get(pk=event.pk)
        assert saved.waitlist_offers is True
        assert saved.offer_hours == 6
        (pool,) = saved.booking_pools()
        assert (pool.rule, pool.statuses, pool.places) == ("status", ("international_degree",), 8)

    # More places reserved than the event has: the error is beside the pools, nothing saved.
    _open(page, edit_path)
    page.locator("input[name='pools-0-value-places']").fill("25")
    _publish(page, language)
    expect(page.locator("[data-contentpath='pools']")).to_contain_text(RESERVED_TOO_MANY[language])
    with db_access():
        assert EventPage.objects.get(pk=event.pk).booking_pools()[0].places == 8

    reports = [_admin_axe(page)] if language == AXE_LANGUAGE["event"] else []
    errors.assert_none()
    assert_reports_clean(reports)
