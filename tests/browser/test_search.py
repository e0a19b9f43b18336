"""The site search in Chromium: from the header's search box to the results, then filtered by
type, in Norwegian and in English. Axe on the results at 1280 and 320 px; no console errors."""

import pytest
from playwright.sync_api import expect
from wagtail import hooks

from cms.models import InformationPage
from cms.search.index import search_index_rebuild
from cms.search.sources import SearchSource
from onboarding.hooks import SEARCH_SOURCES

from .helpers import both_widths, collect_problems

pytestmark = pytest.mark.browser


def page_make(parent, slug, *, nb, en, single=""):
    page = InformationPage(slug=slug, title=nb, single_language=single)
    page.slug_nb = page.slug_en = slug
    page.title_nb, page.title_en = nb, en
    page.intro_nb, page.intro_en = f"{nb}.", f"{en}."
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def library(site_tree, asgi_server):
    home = site_tree["home"]
    news = page_make(home, "news", nb="Nyheter", en="News")
    page_make(news, "library-opens", nb="Biblioteket åpner", en="The library opens")
    page_make(home, "library", nb="Biblioteket", en="The library")
    page_make(home, "library-en", nb="Library card", en="Library card", single="en")
    search_index_rebuild()

    def sources():
        # A second type beside the information pages: the news pages.
        return [
            SearchSource(
                key="news",
                name="Nyhet",
                plural="Nyheter",
                model=InformationPage,
                queryset=lambda: InformationPage.objects.child_of(news),
                order=5,
            )
        ]

    with hooks.register_temporarily(SEARCH_SOURCES, sources):
        yield


@pytest.mark.parametrize(
    ("language", "word", "heading", "filter_button", "only_in_english_last"),
    [
        ("nb", "library", "4 treff for «library»", "Filtrer", True),
        ("en", "library", "4 results for “library”", "Filter", False),
    ],
)
def test_search_from_the_header_and_filter_by_type(
    library, page_factory, asgi_server, language, word, heading, filter_button, only_in_english_last
):
    page = page_factory(1280)
    problems = collect_problems(page)

    page.goto(f"{asgi_server}/{language}/")
    header_search = page.locator("header form[role=search]")
    header_search.locator("input[name=q]").fill(word)
    header_search.locator("input[name=q]").press("Enter")

    expect(page.locator("#results-heading")).to_have_text(heading)
    results = page.locator("ol.search-results > li")
    expect(results).to_have_count(4)
    badge = page.locator("li.search-result .badge")
    expect(badge).to_have_text("Only in English")
    if only_in_english_last:
        # A Norwegian reader sees what is written in Norwegian first.
        expect(results.last.locator(".badge")).to_have_count(1)
    both_widths(page)

    page.locator("#type-news").check()
    page.get_by_role("button", name=filter_button, exact=True).click()

    expect(results).to_have_count(1)
    expect(page.locator("#type-news")).to_be_checked()
    expect(results.first.locator(".search-result__type")).to_have_text("Nyhet")
    both_widths(page)
    problems.assert_none()
