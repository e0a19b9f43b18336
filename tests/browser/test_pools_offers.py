"""Reserved places and offers in a real browser: an offer arrives live and is claimed; the
list of pools passes axe in both languages, wide and at 320 px."""

import pytest
from playwright.sync_api import expect

from onboarding.accounts.models import StudentProfile
from onboarding.activities.models import Signup
from onboarding.activities.services import signup_cancel, signup_create
from onboarding.bookings.models import BookingStatus
from tests.browser.helpers import assert_no_axe_violations, collect_problems, db_access, sign_in
from tests.browser.test_events import LANGUAGES, LIVE_TIMEOUT_MS, live_page, path_of
from tests.factories import UserFactory
from tests.onboarding.activities.factories import event_create
from tests.onboarding.activities.test_pools_offers import first_year_pool, status_pool
from tests.onboarding.units.factories import buddy_programme_create

pytestmark = pytest.mark.browser

CLAIM = {"nb": "Ta plassen", "en": "Claim the place"}


@pytest.fixture
def unit(site_tree):
    return buddy_programme_create(site_tree["home"])


@pytest.mark.stack
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_offer_arrives_live_and_the_waitlisted_student_claims_it(
    asgi_server, unit, page_factory, language
):
    event = event_create(
        unit,
        capacity=1,
        waitlist_enabled=True,
        waitlist_offers=True,
        title_nb="Fjelltur",
        title_en="Mountain hike",
        publish=True,
    )
    leaving, waiting = UserFactory(language=language), UserFactory(language=language)
    place = signup_create(event=event, user=leaving)
    queued = signup_create(event=event, user=waiting)
    page = live_page(page_factory, asgi_server, waiting, path_of(event, language), language)
    problems = collect_problems(page)
    panel = page.locator("[data-signup-panel]")
    expect(panel).to_have_attribute("data-my-status", "waitlisted")

    with db_access():
        signup_cancel(signup=place, user=leaving)
        assert Signup.objects.get(pk=queued.pk).status == BookingStatus.OFFERED

    # The page re-reads its panel on the live hint: the offer, with its button.
    expect(panel).to_have_attribute("data-my-status", "offered", timeout=LIVE_TIMEOUT_MS)
    claim = page.get_by_role("button", name=CLAIM[language])
    expect(claim).to_be_visible()
    assert_no_axe_violations(page)
    claim.click()

    expect(page.locator("[data-signup-panel]")).to_have_attribute("data-my-status", "confirmed")
    with db_access():
        assert Signup.objects.get(pk=queued.pk).status == BookingStatus.CONFIRMED
    problems.assert_none()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_list_of_pools_has_no_axe_violations_wide_and_narrow(
    asgi_server, unit, page_factory, language
):
    event = event_create(
        unit,
        capacity=20,
        title_nb="Velkomstlunsj for nye studenter",
        title_en="Welcome lunch for new students",
        pools=[status_pool("degree", 8, "international_degree"), first_year_pool("new", 5)],
        publish=True,
    )
    student = UserFactory(language=language)
    StudentProfile.objects.create(user=student, status="international_degree")
    path = path_of(event, language)
    page = page_factory()
    problems = collect_problems(page)
    sign_in(page, asgi_server, student)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(path)
        pools = page.locator("[data-pools]")
        expect(pools.locator("li")).to_have_count(3)
        expect(pools.locator(".pools__mine")).to_have_attribute("data-pool", "degree")
        assert_no_axe_violations(page)
        assert page.evaluate("() => document.querySelector('main').scrollWidth") <= width
    problems.assert_none()
