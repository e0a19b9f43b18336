"""Student democracy in Chromium: a student opens the elections calendar, an election, and
stands, in Norwegian and then in English; axe on a meeting page and the elections calendar in
both languages at 1280 and 320 px; no console errors."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from onboarding.democracy.models import Candidacy
from tests.onboarding.democracy.builders import election_make, meeting_make
from tests.onboarding.democracy.conftest import democracy_tree

from .helpers import assert_no_axe_violations, both_widths, collect_problems, db_access, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def democracy(site_tree, asgi_server):
    tree = democracy_tree(site_tree["home"])
    now = timezone.now()
    tree["meeting"] = meeting_make(
        tree["parliament"],
        start_at=now - timedelta(days=2),
        minutes=("Budsjettet ble vedtatt.", "The budget was adopted."),
    )
    tree["parliament_election"] = election_make(tree["parliament"], opens=now - timedelta(days=1))
    tree["council_election"] = election_make(tree["council_a"], opens=now - timedelta(days=1))
    return tree


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(f"democracy:{name}", kwargs=kwargs or None)


def page_url(page, language):
    with translation.override(language):
        return page.get_url()


def _stand(page, election, *, statement, language_label, group, seat_label):
    page.get_by_role("link", name=election).first.click()
    page.locator("a.button").first.click()
    assert_no_axe_violations(page)
    page.fill("#id_statement", statement)
    page.get_by_label(language_label, exact=True).check()
    page.fill("#id_group", group)
    page.get_by_label(seat_label, exact=True).check()
    page.locator("form.candidacy-form button[type=submit]").click()


def test_a_student_stands_in_norwegian_and_in_english(democracy, page_factory, asgi_server):
    meeting_urls = {language: page_url(democracy["meeting"], language) for language in ("nb", "en")}
    page = sign_in(page_factory(1280), asgi_server, democracy["student"])
    problems = collect_problems(page)
    parliament_election = democracy["parliament_election"]
    council_election = democracy["council_election"]

    # Norwegian: the calendar, the parliament's election, the form.
    page.goto(url("elections_calendar", "nb"))
    expect(page.locator("h1")).to_have_text("Valg i studentdemokratiet")
    both_widths(page)
    _stand(
        page,
        parliament_election.title_nb,
        statement="Jeg vil jobbe for bedre bolig for internasjonale studenter.",
        language_label="norsk",
        group="Fysikk",
        seat_label="Plass for internasjonale studenter",
    )
    expect(page.locator(".message--success")).to_contain_text("Du stiller til")
    expect(page.locator("h1")).to_have_text(parliament_election.title_nb)

    # English: the calendar again, the council's election.
    page.goto(url("elections_calendar", "en"))
    expect(page.locator("h1")).to_have_text("Elections in student democracy")
    both_widths(page)
    _stand(
        page,
        council_election.title_en,
        statement="I will work for course evaluations in English.",
        language_label="English",
        group="Physics",
        seat_label="Ordinary seat",
    )
    expect(page.locator(".message--success")).to_contain_text("You stand in")
    with db_access():
        stood = dict(
            Candidacy.objects.filter(user=democracy["student"]).values_list(
                "election_id", "seat_type"
            )
        )
    assert stood == {parliament_election.pk: "international", council_election.pk: "ordinary"}

    # A meeting page with its minutes, in both languages.
    for language, minutes in (("nb", "Budsjettet ble vedtatt."), ("en", "The budget was adopted.")):
        page.goto(meeting_urls[language])
        expect(page.locator("#minutes-heading + .rich-text")).to_contain_text(minutes)
        both_widths(page)
    problems.assert_none()
