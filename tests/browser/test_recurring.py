"""An organiser makes an event series repeat in a real browser: the form, the occurrences it
makes and the page to change one of them, with axe at 1280 and 320 px in both languages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from onboarding.activities.models import EventPage
from onboarding.units.services import unit_editor_add
from tests.browser.helpers import assert_no_axe_violations, collect_problems, db_access, sign_in
from tests.factories import UserFactory
from tests.onboarding.activities.factories import series_create
from tests.onboarding.units.factories import buddy_programme_create

pytestmark = pytest.mark.browser

LANGUAGES = ["nb", "en"]
DONE = {
    "nb": "Serien gjentas nå, og arrangementene er laget.",
    "en": "The series now repeats; its events are made.",
}
CHANGE_HEADING = {"nb": "Endre et gjentatt arrangement", "en": "Change a repeating event"}


@pytest.fixture
def series(site_tree):
    unit = buddy_programme_create(site_tree["home"])
    return series_create(unit, title_nb="Språkkafeen", title_en="The language café")


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_organiser_makes_a_weekly_cafe_and_opens_one_occurrence(
    series, page_factory, asgi_server, language
):
    organiser = UserFactory(language=language)
    unit_editor_add(unit=series.get_parent().specific, user=organiser)
    with translation.override(language):
        path = reverse("activities:series_recurrence", args=[series.pk])
    page = sign_in(page_factory(), asgi_server, organiser)
    problems = collect_problems(page)

    page.goto(path)
    assert_no_axe_violations(page)
    narrow = sign_in(page_factory(320), asgi_server, organiser)
    narrow.goto(path)
    assert_no_axe_violations(narrow)

    next_week = timezone.localdate() + timedelta(days=7)
    page.select_option("select[name='weekday']", str(next_week.weekday()))
    page.fill("input[name='starts_on']", next_week.isoformat())
    page.fill("input[name='start_time']", "16:00")
    page.fill("input[name='count']", "4")
    page.fill("textarea[name='summary_nb']", "Snakk norsk over en kopp kaffe.")
    page.fill("textarea[name='summary_en']", "Speak Norwegian over a cup of coffee.")
    page.fill("input[name='building']", "Studenthuset")
    page.locator("form.form-card button[type='submit']").click()

    expect(page.locator(".message--success")).to_have_text(DONE[language])
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(4)
    assert_no_axe_violations(page)
    with db_access():
        made = list(EventPage.objects.child_of(series).order_by("start_at"))
    assert [timezone.localtime(event.start_at).date() for event in made] == [
        next_week + timedelta(weeks=number) for number in range(4)
    ]
    assert {timezone.localtime(event.start_at).strftime("%H:%M") for event in made} == {"16:00"}

    rows.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(CHANGE_HEADING[language])
    assert_no_axe_violations(page)
    problems.assert_none()
