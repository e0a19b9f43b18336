"""A student council's editor keeps its meetings in the Wagtail admin, in Chromium, in both
languages: adding a meeting with a place given in one language only is refused beside the
empty field and saves nothing; given in both, it is published and shown on the site in each
language. No CSP violation or script error in the console; axe on the editor at 1280 px."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from onboarding.democracy.models import MeetingPage
from tests.onboarding.democracy.conftest import democracy_tree
from tests.onboarding.units.factories import mfa_enable

from .helpers import ConsoleErrors, db_access, sign_in
from .test_admin import _admin_axe, _open, _publish, _show_english_fields, assert_reports_clean

pytestmark = pytest.mark.browser

CANDIDACIES = {"nb": "Kandidaturer", "en": "Candidacies"}
MISSING = {
    "nb": "Fyll inn dette på engelsk før du publiserer",
    "en": "Fill this in English before publishing",
}


@pytest.fixture
def council(site_tree, asgi_server):
    return democracy_tree(site_tree["home"])


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_council_editor_adds_a_meeting_in_both_languages(council, page, asgi_server, language):
    editor = council["council_editor"]
    with db_access():
        editor.language = language
        editor.save(update_fields=["language"])
        mfa_enable(editor)
    sign_in(page, asgi_server, editor)
    errors = ConsoleErrors(page)
    body = council["council_a"]
    add_path = f"/admin/pages/add/democracy/meetingpage/{body.pk}/"

    _open(page, add_path)
    reports = [_admin_axe(page)] if language == "en" else []
    _show_english_fields(page)
    page.locator("input[name='title_nb']").fill("Rådsmøte om studiemiljø")
    page.locator("input[name='title_en']").fill("Council meeting on the study environment")
    page.locator("input[name='start_at']").fill("2027-03-28 18:00")
    page.locator("input[name='start_at']").blur()
    page.locator("input[name='place_nb']").fill("Rom 101, Realfagbygget")
    _publish(page, language)

    # The place in Norwegian only: refused beside the English field, nothing saved.
    _show_english_fields(page)
    place_en = page.locator("[data-field-wrapper]", has=page.locator("#id_place_en"))
    expect(place_en.locator(".error-message")).to_be_visible()
    expect(place_en.locator(".error-message")).to_contain_text(MISSING[language])
    with db_access():
        assert not MeetingPage.objects.exists()

    page.locator("input[name='place_en']").fill("Room 101, Science Building")
    _publish(page, language)
    with db_access():
        meeting = MeetingPage.objects.get()
        assert meeting.live
        urls = {}
        for code in ("nb", "en"):
            with translation.override(code):
                urls[code] = meeting.get_url()
    errors.assert_none()
    assert_reports_clean(reports)

    for code, place in (("nb", "Rom 101, Realfagbygget"), ("en", "Room 101, Science Building")):
        _open(page, urls[code])
        expect(page.locator("main")).to_contain_text(place)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_council_editor_reads_who_stands(council, page, asgi_server, language):
    from datetime import timedelta

    from django.utils import timezone

    from onboarding.democracy.services import candidacy_create
    from tests.factories import UserFactory
    from tests.onboarding.democracy.builders import election_make

    editor = council["council_editor"]
    with db_access():
        editor.language = language
        editor.save(update_fields=["language"])
        mfa_enable(editor)
        election = election_make(council["council_a"], opens=timezone.now() - timedelta(days=1))
        candidacy_create(
            election=election,
            user=UserFactory(email="kandidat@example.test"),
            statement="Jeg vil jobbe for emneevaluering på engelsk.",
            statement_language="nb",
            group="Fysikk",
            seat_type="international",
        )
    sign_in(page, asgi_server, editor)
    errors = ConsoleErrors(page)

    # From the election's editor: the header's menu holds the list of who stands.
    _open(page, f"/admin/pages/{election.pk}/edit/")
    page.locator("header .w-dropdown__toggle").first.click()
    with page.expect_navigation():
        page.get_by_role("link", name=CANDIDACIES[language]).click()
    assert page.url.endswith(f"/admin/democracy/elections/{election.pk}/candidacies/")
    table = page.locator("table[data-seat='international']")
    expect(table).to_contain_text("kandidat@example.test")
    expect(table.locator("td[lang='nb']")).to_contain_text("emneevaluering")
    reports = [_admin_axe(page)]
    page.set_viewport_size({"width": 320, "height": 800})
    reports.append(_admin_axe(page))
    errors.assert_none()
    assert_reports_clean(reports)
