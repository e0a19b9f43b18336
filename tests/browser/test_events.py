"""Events in a real browser: live places across browsers, the waitlist, tickets, check-in, axe."""

import re
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from onboarding.activities.models import Signup
from onboarding.activities.services import signup_create
from onboarding.bookings.services import booking_create
from onboarding.live.services import notification_mark_all_read
from onboarding.units.services import international_staff_add, unit_editor_add
from tests.browser.helpers import (
    assert_no_axe_violations,
    collect_problems,
    db_access,
    sign_in,
)
from tests.factories import UserFactory
from tests.onboarding.activities.factories import event_create
from tests.onboarding.units.factories import buddy_programme_create

pytestmark = pytest.mark.browser

LANGUAGES = ["nb", "en"]
# Playwright's init scripts run before the page's own and are not subject to its CSP.
TRACK_SOCKET = """
document.addEventListener("live:open", function () {
  window.liveOpens = (window.liveOpens || 0) + 1;
});
"""
# A hint is sent at once, but a suite that runs beside others on two cores can take
# seconds to answer the re-reads that follow: the wait is long enough that only a missed
# hint fails. How fast hints arrive is measured in the benchmarks, not here.
LIVE_TIMEOUT_MS = 10000
CANCELLED = {"nb": "Dette arrangementet er avlyst.", "en": "This event is cancelled."}
WAS_CANCELLED = {"nb": "Dette arrangementet ble avlyst", "en": "This event was cancelled"}
HAD_A_PLACE = {"nb": "1 person hadde plass", "en": "1 person had a place"}
NOT_SHARED = {"nb": "Ikke delt", "en": "Not shared"}


@pytest.fixture
def unit(site_tree):
    return buddy_programme_create(site_tree["home"])


def path_of(page_object, language):
    with translation.override(language):
        return page_object.get_url()


def url(name, language, *args):
    with translation.override(language):
        return reverse(f"activities:{name}", args=args)


def live_page(page_factory, asgi_server, person, path, language):
    """A browser logged in as ``person`` on ``path``, with its live connection open."""
    page = page_factory()
    page.add_init_script(TRACK_SOCKET)
    sign_in(page, asgi_server, person)
    page.goto(path)
    page.wait_for_function("() => window.liveOpens >= 1")
    return page


def places_free(free, capacity, language):
    """The event page's count of free places, in the page's language."""
    text = {"nb": "{free} av {capacity} plasser ledige.", "en": "{free} of {capacity} places free."}
    return text[language].format(free=free, capacity=capacity)


@pytest.mark.stack
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_signup_drops_the_free_places_live_in_another_browser(
    asgi_server, unit, page_factory, language
):
    event = event_create(
        unit, capacity=3, title_nb="Velkomstfest", title_en="Welcome party", publish=True
    )
    watcher, student = UserFactory(language=language), UserFactory(language=language)
    path = path_of(event, language)
    watching = live_page(page_factory, asgi_server, watcher, path, language)
    signing_up = live_page(page_factory, asgi_server, student, path, language)
    count = watching.locator("[data-places-text]")
    expect(count).to_have_text(places_free(3, 3, language))

    signing_up.locator("[data-signup-form] button").click()

    expect(signing_up.locator("[data-signup-panel] a.button")).to_be_visible()
    expect(count).to_have_text(places_free(2, 3, language), timeout=LIVE_TIMEOUT_MS)


# Holds the page's "subscribe" messages until the test lets them go, so that a signup can
# fall between the page's first re-read and its subscription, as it can on a busy server.
HOLD_SUBSCRIBE = """
(function () {
  var send = WebSocket.prototype.send;
  window.heldSubscribes = [];
  WebSocket.prototype.send = function (data) {
    if (String(data).indexOf('"subscribe"') !== -1 && !window.subscribeReleased) {
      window.heldSubscribes.push([this, data]);
      return;
    }
    return send.call(this, data);
  };
  window.releaseSubscribes = function () {
    window.subscribeReleased = true;
    window.heldSubscribes.forEach(function (held) { send.call(held[0], held[1]); });
  };
})();
"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_signup_before_the_page_subscribed_still_reaches_it(
    asgi_server, unit, page_factory, language
):
    event = event_create(
        unit, capacity=3, title_nb="Velkomstfest", title_en="Welcome party", publish=True
    )
    watcher, other = UserFactory(language=language), UserFactory(language=language)
    path = path_of(event, language)
    page = page_factory()
    page.add_init_script(TRACK_SOCKET)
    page.add_init_script(HOLD_SUBSCRIBE)
    sign_in(page, asgi_server, watcher)
    with page.expect_response(lambda response: "places.json" in response.url):
        page.goto(path)
    page.wait_for_function("() => window.liveOpens >= 1 && window.heldSubscribes.length >= 1")
    count = page.locator("[data-places-text]")
    expect(count).to_have_text(places_free(3, 3, language))
    # Signed up after the page read the places, before the page's topic is subscribed: its
    # hint reaches nobody on this page.
    with db_access():
        signup_create(event=event, user=other)
    page.wait_for_timeout(300)
    expect(count).to_have_text(places_free(3, 3, language))
    page.evaluate("window.releaseSubscribes()")
    expect(count).to_have_text(places_free(2, 3, language), timeout=LIVE_TIMEOUT_MS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_whose_scripts_arrive_after_the_socket_opened_still_reads_and_subscribes(
    asgi_server, unit, page_factory, language
):
    event = event_create(unit, capacity=3, publish=True)
    watcher, other = UserFactory(language=language), UserFactory(language=language)
    path = path_of(event, language)
    page = page_factory()
    page.add_init_script(TRACK_SOCKET)

    def late(route):
        # Blocks only this test's side: the browser goes on, and its socket would open
        # before the late scripts had registered their listeners.
        time.sleep(1)
        route.continue_()

    page.route(re.compile(r"/js/(live|activities)[^/]*\.js"), late)
    sign_in(page, asgi_server, watcher)
    with page.expect_response(lambda response: "places.json" in response.url):
        page.goto(path)
    page.wait_for_function("() => window.liveOpens >= 1")
    count = page.locator("[data-places-text]")
    expect(count).to_have_text(places_free(3, 3, language))
    with db_access():
        signup_create(event=event, user=other)
    expect(count).to_have_text(places_free(2, 3, language), timeout=LIVE_TIMEOUT_MS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_cancellation_gives_the_waitlisted_student_the_place_and_lights_the_badge(
    asgi_server, unit, page_factory, language
):
    event = event_create(unit, capacity=1, title_nb="Kajakk", title_en="Kayaking", publish=True)
    leaving, waiting = UserFactory(language=language), UserFactory(language=language)
    signup_create(event=event, user=leaving)
    signup_create(event=event, user=waiting)
    # The signup's confirmation is read: the badge is to light for the place given.
    notification_mark_all_read(user=waiting)
    path = path_of(event, language)
    waiting_page = live_page(page_factory, asgi_server, waiting, path, language)
    leaving_page = live_page(page_factory, asgi_server, leaving, path, language)
    panel = waiting_page.locator("[data-signup-panel]")
    expect(panel).to_have_attribute("data-my-status", "waitlisted")
    expect(waiting_page.locator("[data-live-badge-count]")).to_be_hidden()

    leaving_page.locator("[data-signup-form] button").click()

    expect(waiting_page.locator("[data-signup-panel]")).to_have_attribute(
        "data-my-status", "confirmed", timeout=LIVE_TIMEOUT_MS
    )
    badge = waiting_page.locator("[data-live-badge-count]")
    expect(badge).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(badge).to_have_text("1")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_rereads_the_places_when_it_reconnects(asgi_server, unit, page_factory, language):
    event = event_create(unit, capacity=5, publish=True)
    watcher = UserFactory(language=language)
    page = live_page(page_factory, asgi_server, watcher, path_of(event, language), language)
    page.context.set_offline(True)
    with db_access():
        for _ in range(2):
            signup_create(event=event, user=UserFactory())
    page.context.set_offline(False)
    # Going offline does not close an open WebSocket in Chromium: reconnect by hand.
    page.evaluate("() => document.dispatchEvent(new CustomEvent('live:open'))")
    expect(page.locator("[data-places-text]")).to_have_text(places_free(3, 5, language))


@pytest.mark.parametrize("language", LANGUAGES)
def test_listing_event_page_and_ticket_have_no_axe_violations(
    asgi_server, unit, page_factory, language
):
    event = event_create(
        unit, capacity=10, title_nb="Byvandring", title_en="City walk", publish=True
    )
    student = UserFactory(
        language=language, first_name="Kyung-min", last_name="Park", preferred_name="Kim"
    )
    signup = signup_create(event=event, user=student)
    listing, event_path = url("event_list", language), path_of(event, language)
    ticket, mine = url("ticket", language, signup.ticket_code), url("my_events", language)
    page = page_factory()
    for path in (listing, event_path):
        page.goto(path)
        assert_no_axe_violations(page)
    sign_in(page, asgi_server, student)
    for path in (listing, event_path, ticket, mine):
        page.goto(path)
        assert_no_axe_violations(page)
        if path == ticket:
            # The ticket names the person as they want to be called.
            expect(page.locator(".ticket .event-facts dd").first).to_have_text("Kim Park")
    page.set_viewport_size({"width": 320, "height": 800})
    for path in (listing, event_path, ticket):
        page.goto(path)
        assert_no_axe_violations(page)
        assert page.evaluate("() => document.querySelector('main').scrollWidth") <= 320


@pytest.mark.parametrize("language", LANGUAGES)
def test_check_in_page_has_no_axe_violations_and_checks_in_by_code(
    asgi_server, unit, page_factory, language
):
    event = event_create(unit, capacity=10, publish=True)
    student = UserFactory(first_name="Ana", last_name="Silva")
    signup = signup_create(event=event, user=student)
    organiser = UserFactory(language=language)
    unit_editor_add(unit=unit, user=organiser)
    checkin, attendees = url("checkin", language, event.pk), url("attendees", language, event.pk)
    page = page_factory(390, height=844)  # a phone
    sign_in(page, asgi_server, organiser)
    page.goto(checkin)
    assert_no_axe_violations(page)

    page.locator("[data-checkin-code-form] input[name='code']").fill(signup.ticket_code_display)
    page.locator("[data-checkin-code-form] button").click()
    result = page.locator("[data-checkin-result]")
    expect(result).to_contain_text("Ana Silva")
    page.locator("[data-checkin-code-form] input[name='code']").fill(signup.ticket_code)
    page.locator("[data-checkin-code-form] button").click()
    expect(result).to_contain_text(re.compile(r"\d\d:\d\d"))
    assert_no_axe_violations(page)
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 844})
        assert_no_axe_violations(page)

    page.goto(attendees)
    assert_no_axe_violations(page)


def test_check_in_by_name_works_without_javascript(asgi_server, unit, page_factory):
    event = event_create(unit, capacity=10, publish=True)
    student = UserFactory(first_name="Kwame", last_name="Mensah")
    signup_create(event=event, user=student)
    staff = UserFactory()
    international_staff_add(user=staff)
    checkin = url("checkin", "en", event.pk)
    page = page_factory(java_script_enabled=False)
    sign_in(page, asgi_server, staff)
    page.goto(checkin)
    page.get_by_label("Name, email or ticket code").fill("Mensah")
    page.get_by_role("search", name="Find a person").get_by_role("button", name="Search").click()
    page.get_by_role("button", name=re.compile("Check in Kwame Mensah")).click()
    expect(page.locator(".messages")).to_contain_text("Kwame Mensah")


@pytest.mark.stack
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_organiser_cancels_the_event_and_the_student_is_told_live(
    asgi_server, unit, page_factory, language
):
    event = event_create(
        unit, capacity=10, title_nb="Elvepadling", title_en="River paddling", publish=True
    )
    student = UserFactory(language=language, first_name="Ana", last_name="Silva")
    signup_create(event=event, user=student)
    # The signup's confirmation is read: the badge is to light for the cancellation.
    notification_mark_all_read(user=student)
    organiser = UserFactory(language=language)
    unit_editor_add(unit=unit, user=organiser)
    student_page = page_factory()
    problems = collect_problems(student_page)
    student_page.add_init_script(TRACK_SOCKET)
    sign_in(student_page, asgi_server, student)
    student_page.goto(path_of(event, language))
    student_page.wait_for_function("() => window.liveOpens >= 1")
    expect(student_page.locator("[data-live-badge-count]")).to_be_hidden()
    organiser_page = page_factory()
    organiser_problems = collect_problems(organiser_page)
    sign_in(organiser_page, asgi_server, organiser)
    organiser_page.goto(url("cancel_event", language, event.pk))
    assert_no_axe_violations(organiser_page)

    organiser_page.locator("textarea[name='reason_en']").fill("The river is in flood.")
    organiser_page.locator("input[name='confirm']").check()
    with organiser_page.expect_navigation():
        organiser_page.locator("form.form-card button[type='submit']").click()

    expect(organiser_page.locator(".messages")).to_be_visible()
    badge = student_page.locator("[data-live-badge-count]")
    expect(badge).to_have_text("1", timeout=LIVE_TIMEOUT_MS)
    # The open page stops offering places and the calendar file at once.
    expect(student_page.locator("[data-places-text]")).to_be_hidden()
    expect(student_page.locator("[data-calendar-link]")).to_be_hidden()
    expect(student_page.locator("[data-signup-panel]")).to_contain_text(CANCELLED[language])
    student_page.reload()
    expect(student_page.locator(".notice--cancelled")).to_contain_text("The river is in flood.")
    expect(student_page.locator("[data-places-text], [data-calendar-link]")).to_have_count(0)
    assert_no_axe_violations(student_page)
    student_page.set_viewport_size({"width": 320, "height": 800})
    assert_no_axe_violations(student_page)

    # The organiser still sees who had a place, under the cancellation.
    organiser_page.goto(url("attendees", language, event.pk))
    expect(organiser_page.locator(".notice--cancelled")).to_contain_text(WAS_CANCELLED[language])
    expect(organiser_page.locator("#attendees-heading")).to_have_text(HAD_A_PLACE[language])
    row = organiser_page.locator("section[aria-labelledby='attendees-heading'] tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("th")).to_contain_text("Ana Silva")
    # Ana follows nobody, so her email stays with the platform (test_contact.py).
    expect(row).to_contain_text(NOT_SHARED[language])
    expect(row).not_to_contain_text(student.email)
    assert_no_axe_violations(organiser_page)
    organiser_page.set_viewport_size({"width": 320, "height": 800})
    assert_no_axe_violations(organiser_page)
    assert problems == []
    assert organiser_problems == []


# --- Counts that keep up with what the person just did -----------------------------------------

WAITLIST = {
    "nb": {1: "1 person på venteliste.", 2: "2 personer på venteliste."},
    "en": {1: "1 person on the waitlist.", 2: "2 people on the waitlist."},
}
WAITLIST_NUMBER = {
    "nb": "Du står på venteliste som nummer {position}.",
    "en": "You are on the waitlist, as number {position}.",
}
FULL_ONE = {"nb": "Fullt: den eneste plassen er tatt.", "en": "Full: the only place is taken."}
FULL = {
    "nb": "Fullt: alle {capacity} plassene er tatt.",
    "en": "Full: all {capacity} places are taken.",
}


def deliver_hint(page, topic, data):
    """Hand ``page`` a live hint as its socket would (through live.js), and let it be handled."""
    page.evaluate(
        "([topic, data]) => document.dispatchEvent(new CustomEvent('live:message', "
        "{detail: {type: 'topic', topic: topic, data: data}}))",
        [topic, data],
    )


def click_and_wait(page, button, path):
    """Click a signup form's button and wait for the server's answer to it (at ``path``)."""
    with page.expect_response(lambda response: response.url.endswith(path)):
        button.click()


@pytest.mark.stack
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_answer_to_a_signup_carries_the_places_after_it_and_older_hints_are_ignored(
    asgi_server, unit, page_factory, language
):
    from onboarding.activities.selectors import event_places
    from onboarding.activities.services import places_payload

    fresh = event_create(unit, capacity=3, title_nb="Kaffe", title_en="Coffee", publish=True)
    before_anyone = event_places(event=fresh)
    # Signups written with a time of their own, days ahead, as the demo's are.
    busy = event_create(
        unit, capacity=2, title_nb="Fjelltur", title_en="Mountain hike", publish=True
    )
    ahead = busy.start_at - timedelta(days=1)
    for _ in range(3):
        signup_create(event=busy, user=UserFactory(), now=ahead)
    single = event_create(unit, capacity=1, title_nb="Kajakk", title_en="Kayak", publish=True)
    single_path, single_signup = path_of(single, language), url("signup", language, single.pk)
    student = UserFactory(language=language)
    stale = places_payload(event_id=fresh.pk, places=before_anyone)
    fresh_path, busy_path = path_of(fresh, language), path_of(busy, language)
    fresh_signup, busy_signup = url("signup", language, fresh.pk), url("signup", language, busy.pk)
    page = page_factory()
    problems = collect_problems(page)
    page.add_init_script(TRACK_SOCKET)
    sign_in(page, asgi_server, student)
    count = page.locator("[data-places-text]")

    # An event nobody has signed up to: the answer itself drops the count.
    page.goto(fresh_path)
    page.wait_for_function("() => window.liveOpens >= 1")
    click_and_wait(page, page.locator("[data-signup-button]"), fresh_signup)
    expect(count).to_have_text(places_free(2, 3, language))
    # A hint from before the first signup (no version yet) arrives late: it changes nothing.
    deliver_hint(page, f"event:{fresh.pk}", stale)
    expect(count).to_have_text(places_free(2, 3, language))

    # An event whose signups are dated ahead: joining its waitlist shows the count after it,
    # and the position and the count agree.
    page.goto(busy_path)
    page.wait_for_function("() => window.liveOpens >= 1")
    waitlist = page.locator("[data-waitlist-text]")
    expect(count).to_have_text(FULL[language].format(capacity=2))
    expect(waitlist).to_have_text(WAITLIST[language][1])
    click_and_wait(page, page.locator("[data-signup-button]"), busy_signup)
    expect(page.locator(".signup-panel__status")).to_have_text(
        re.compile(re.escape(WAITLIST_NUMBER[language].format(position=2)))
    )
    expect(waitlist).to_have_text(WAITLIST[language][2])
    # A hint older than the signup (a re-read answered late, say) changes nothing either.
    with db_access():
        older = {**places_payload(event_id=busy.pk, places=event_places(event=busy)), "version": 1}
    older["waitlisted"] -= 1
    deliver_hint(page, f"event:{busy.pk}", older)
    expect(waitlist).to_have_text(WAITLIST[language][2])

    # Taking the only place of an event: the answer is worded in the singular.
    page.goto(single_path)
    page.wait_for_function("() => window.liveOpens >= 1")
    click_and_wait(page, page.locator("[data-signup-button]"), single_signup)
    expect(count).to_have_text(FULL_ONE[language])

    page.set_viewport_size({"width": 320, "height": 800})
    assert_no_axe_violations(page)
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_organiser_gives_a_held_person_the_place_from_the_attendee_list(
    asgi_server, unit, page_factory, language
):
    event = event_create(unit, capacity=10, noshow_rule=True, publish=True)
    student = UserFactory(first_name="Ana", last_name="Silva")
    # Held back by the rule (the engine's hold), as a person with too many no-shows is.
    held = booking_create(
        booking_model=Signup, holder_id=event.pk, person=student, hold=True
    ).booking
    organiser = UserFactory(language=language)
    unit_editor_add(unit=unit, user=organiser)
    page = page_factory(320, height=844)
    problems = collect_problems(page)
    sign_in(page, asgi_server, organiser)
    page.goto(url("attendees", language, event.pk))
    assert_no_axe_violations(page)
    assert page.evaluate("() => document.querySelector('main').scrollWidth") <= 320
    page.locator(f"form:has(input[name='give'][value='{held.pk}']) button").click()
    expect(page.locator("#attendees-heading")).to_contain_text("1")
    with db_access():
        assert Signup.objects.get(pk=held.pk).status == "confirmed"
    problems.assert_none()
