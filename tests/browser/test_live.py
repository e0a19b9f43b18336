"""The live notification badge and the notification centre in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from onboarding.live.services import notify
from tests.browser.helpers import assert_no_axe_violations, db_access, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.stack, pytest.mark.browser]

LANGUAGES = ["nb", "en"]
CENTRE = {"nb": "/nb/varsler/", "en": "/en/notifications/"}
PREFERENCES = {"nb": "/nb/varsler/innstillinger/", "en": "/en/notifications/preferences/"}
TITLE = {"nb": "Fadderuke", "en": "Buddy week"}
# Playwright's init scripts run before the page's own and are not subject to its CSP.
TRACK_SOCKET = """
document.addEventListener("live:open", function (event) {
  window.liveSocket = event.detail.socket;
  window.liveOpens = (window.liveOpens || 0) + 1;
});
"""


@pytest.fixture
def reader(asgi_server):
    return UserFactory(language="en")


def tell(asgi_server, person, title=TITLE):
    """notify() run in the server's loop, as a view or task there would run it."""
    return asgi_server.call(
        notify,
        recipients=[person],
        kind="event_changed",
        context={"event_title": title, "changed": ["time"]},
        url={"nb": "/nb/", "en": "/en/"},
        email=False,
    )


def main_width(page):
    """How wide the page's own content is (the shared header and footer are tested elsewhere)."""
    return page.evaluate("() => document.querySelector('main').scrollWidth")


def logged_in(page, asgi_server, person, path, language="en"):
    page.add_init_script(TRACK_SOCKET)
    sign_in(page, asgi_server, person)
    page.goto(path)
    page.wait_for_function("() => window.liveOpens >= 1")
    return page


def test_the_badge_changes_live_when_a_notification_arrives(asgi_server, site_tree, page, reader):
    logged_in(page, asgi_server, reader, "/en/")
    count = page.locator("[data-live-badge-count]")
    expect(count).to_be_hidden()

    tell(asgi_server, reader)

    expect(count).to_have_text("1")
    expect(count).to_be_visible()
    expect(page.locator("[data-live-badge-status]")).to_have_text("Notifications, 1 unread")
    expect(page.locator(".notification-badge__link")).to_have_accessible_name(
        "Notifications, 1 unread"
    )


def test_a_reread_answered_after_a_hint_does_not_take_the_badge_back(
    asgi_server, site_tree, page, reader
):
    # The re-read that follows the connection is answered late, with the count the server
    # read before the notification (0); the hint of the notification (1) came first.
    held = []
    page.route("**/unread.json", lambda route: held.append(route))
    logged_in(page, asgi_server, reader, "/en/")
    count = page.locator("[data-live-badge-count]")
    tell(asgi_server, reader)
    expect(count).to_have_text("1")

    # The route's callback runs when Playwright next handles the page's events.
    for _ in range(250):
        if held:
            break
        page.wait_for_timeout(20)
    held[0].fulfill(json={"unread": 0})
    page.evaluate("() => new Promise((done) => setTimeout(done, 200))")

    expect(count).to_have_text("1")
    expect(count).to_be_visible()


def test_after_a_dropped_connection_the_badge_rereads_the_count(
    asgi_server, site_tree, page, reader
):
    logged_in(page, asgi_server, reader, "/en/")

    page.evaluate("() => window.liveSocket.close()")
    page.wait_for_function("() => window.liveSocket.readyState === WebSocket.CLOSED")
    tell(asgi_server, reader)  # its hint goes to no open socket

    page.wait_for_function("() => window.liveOpens >= 2", timeout=15_000)
    expect(page.locator("[data-live-badge-count]")).to_have_text("1")


def test_the_centre_offers_to_show_what_arrived_while_it_was_open(
    asgi_server, site_tree, page, reader
):
    logged_in(page, asgi_server, reader, CENTRE["en"])
    notice = page.locator("[data-live-new-notifications]")
    expect(notice).to_be_hidden()

    tell(asgi_server, reader)
    expect(notice).to_be_visible()
    notice.get_by_role("link").click()

    expect(page.get_by_role("heading", name="Buddy week has changed")).to_be_visible()


def test_marking_read_works_without_javascript(asgi_server, site_tree, page_factory, reader):
    tell(asgi_server, reader)
    page = page_factory(java_script_enabled=False)
    sign_in(page, asgi_server, reader)
    page.goto(CENTRE["en"])

    page.get_by_role(
        "button", name=re.compile(r"^Mark as read\s*: Buddy week has changed$")
    ).click()

    expect(page.get_by_text("The notification is marked as read.")).to_be_visible()
    expect(page.locator(".notification--unread")).to_have_count(0)
    with db_access():
        assert reader.notifications.get().read_at is not None


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_centre_has_no_axe_violations(asgi_server, site_tree, page_factory, language, width):
    person = UserFactory(language=language)
    tell(asgi_server, person)
    tell(asgi_server, person, {"nb": "Quiz", "en": "Quiz"})
    page = page_factory(width)
    sign_in(page, asgi_server, person)
    page.goto(CENTRE[language])

    assert_no_axe_violations(page)
    assert main_width(page) <= width


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_preferences_page_has_no_axe_violations(
    asgi_server, site_tree, page_factory, language, width
):
    person = UserFactory(language=language)
    page = page_factory(width)
    sign_in(page, asgi_server, person)
    page.goto(PREFERENCES[language])

    assert_no_axe_violations(page)
    assert main_width(page) <= width


def test_preferences_are_saved_from_the_page(asgi_server, site_tree, page, reader):
    sign_in(page, asgi_server, reader)
    page.goto(PREFERENCES["en"])

    page.get_by_role("group", name="An event you signed up to has changed").get_by_label(
        "Daily digest"
    ).check()
    page.get_by_role("button", name="Save settings").click()

    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
    with db_access():
        assert reader.notification_preferences.get().channel == "digest"
