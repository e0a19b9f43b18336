"""Logging in as a student in Chromium: the login page lands on the arrival plan, and My
connections shows a followed unit's upcoming event and news, in both languages, at 1280 and
320 px, with no console errors or CSP violations."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from onboarding.units.services import follow_create
from tests.factories import PASSWORD
from tests.onboarding.activities.factories import event_create
from tests.onboarding.checklists.conftest import fast_unit_tree, home_create
from tests.onboarding.checklists.factories import checklist_create, item_spec, student_create

from .helpers import assert_no_axe_violations, collect_problems, login

pytestmark = pytest.mark.browser

CARD = {"nb": "Hent studentkortet", "en": "Collect your student card"}
EVENT = {"nb": "Korøvelse for nye", "en": "Rehearsal for newcomers"}
NEWS = {"nb": "Sjekkliste for korister", "en": "Checklist for choir members"}


def url(name, language):
    with translation.override(language):
        return reverse(name)


@pytest.fixture
def student(asgi_server, request):
    language = request.node.callspec.params["language"]
    tree = fast_unit_tree(home_create())
    checklist_create(
        tree["section"],
        title=("Sjekkliste for ankomst", "Arrival checklist"),
        items=[item_spec((CARD["nb"], CARD["en"]), 2)],
    )
    student = student_create(faculty=tree["faculty_a"], language=language)
    follow_create(user=student, unit=tree["choir"])
    event_create(tree["choir"], title_nb=EVENT["nb"], title_en=EVENT["en"], publish=True)
    checklist_create(tree["choir"], title=(NEWS["nb"], NEWS["en"]))
    # A unit the student does not follow: its event is not theirs to see here.
    event_create(tree["buddies"], title_nb="Fadderquiz", title_en="Buddy quiz", publish=True)
    return student


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_student_logs_in_to_the_plan_and_finds_the_followed_units_news(
    student, page, asgi_server, language
):
    problems = collect_problems(page)
    login(page, asgi_server, student.email, PASSWORD, language=language)
    expect(page).to_have_url(f"{asgi_server}{url('arrival_plan', language)}")
    expect(page.locator("main")).to_contain_text(CARD[language])

    page.locator(
        ".account-menu a", has_text="Mine forbindelser" if language == "nb" else "My connections"
    ).click()
    expect(page).to_have_url(f"{asgi_server}{url('unit_connections', language)}")
    events = page.locator("section[aria-labelledby='connections-events-heading']")
    expect(events.get_by_role("link", name=EVENT[language])).to_be_visible()
    expect(events).not_to_contain_text("Buddy quiz")
    expect(events).not_to_contain_text("Fadderquiz")
    news = page.locator("section[aria-labelledby='news-heading']")
    expect(news.get_by_role("link", name=NEWS[language])).to_be_visible()
    assert_no_axe_violations(page)

    page.set_viewport_size({"width": 320, "height": 720})
    expect(news.get_by_role("link", name=NEWS[language])).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_no_axe_violations(page)

    news.get_by_role("link", name=NEWS[language]).click()
    expect(page.locator("h1")).to_have_text(NEWS[language])
    assert problems == []
