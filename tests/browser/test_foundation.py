"""The site's frame in a real browser: accessibility, small screens, keyboard, languages."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import expect
from wagtail.models import Page

from cms.search.index import search_index_rebuild
from tests.browser.helpers import account_url, axe_report

pytestmark = pytest.mark.browser

LANGUAGES = ["nb", "en"]
HOME = {"nb": "/nb/", "en": "/en/"}
INFORMATION = {"nb": "/nb/ankomst-og-bolig/", "en": "/en/arrival-and-housing/"}
INFORMATION_TITLE = {"nb": "Ankomst og bolig", "en": "Arrival and housing"}
CONTENT_PAGES = [
    pytest.param(HOME["nb"], id="home-nb"),
    pytest.param(HOME["en"], id="home-en"),
    pytest.param(INFORMATION["nb"], id="information-nb"),
    pytest.param(INFORMATION["en"], id="information-en"),
]
GO_ABROAD = {"nb": "/nb/utveksling/", "en": "/en/go-abroad/"}
GO_ABROAD_TITLE = {"nb": "Utveksling", "en": "Go abroad"}
NOT_FOUND = {"nb": "/nb/finnes-ikke/", "en": "/en/does-not-exist/"}


def open_page(page, path, status=200):
    response = page.goto(path)
    assert response.status == status, f"{path} answered {response.status}"
    return page


def assert_reports_clean(reports):
    failures = [report for report in reports if report]
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("path", CONTENT_PAGES)
def test_content_page_has_no_axe_violations_at_1280_and_320_px(site_tree, page, path):
    open_page(page, path)
    reports = [axe_report(page)]
    page.set_viewport_size({"width": 320, "height": 800})
    reports.append(axe_report(page))

    assert_reports_clean(reports)


@pytest.mark.parametrize("language", LANGUAGES)
def test_demo_pages_do_not_scroll_sideways_at_320_px(site_tree, page_factory, language):
    with translation.override(language):
        pages = Page.objects.live().descendant_of(site_tree["home"], inclusive=True).specific()
        paths = [demo_page.get_url() for demo_page in pages]
    page = page_factory(320)

    widths = {}
    for path in paths:
        open_page(page, path)
        widths[path] = page.evaluate("() => document.documentElement.scrollWidth")

    assert len(paths) > 5
    assert {path: width for path, width in widths.items() if width > 320} == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_skip_link_is_first_in_tab_order_and_moves_focus_to_main(site_tree, page, language):
    open_page(page, INFORMATION[language])

    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")

    expect(page.locator("main#main")).to_be_focused()


@pytest.mark.parametrize(
    ("language", "other"),
    [pytest.param("en", "nb", id="en-to-nb"), pytest.param("nb", "en", id="nb-to-en")],
)
def test_language_switcher_opens_same_page_in_other_language(site_tree, page, language, other):
    open_page(page, f"{INFORMATION[language]}?from=guide&topic=a+b")

    with page.expect_navigation():
        page.locator(f".language-switcher a[hreflang='{other}']").click()

    url = urlsplit(page.url)
    assert url.path == INFORMATION[other]
    assert parse_qs(url.query) == {"from": ["guide"], "topic": ["a b"]}
    expect(page.locator("html")).to_have_attribute("lang", other)
    expect(page.locator("main h1")).to_have_text(INFORMATION_TITLE[other])


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_account_page_has_no_axe_violations_in_both_languages(site_tree, page, name):
    reports = []
    for language in LANGUAGES:
        page.set_viewport_size({"width": 1280, "height": 800})
        open_page(page, account_url(name, language))
        reports.append(axe_report(page))
        if name != "account_reset_password":  # the forms that changed, on a phone too
            page.set_viewport_size({"width": 320, "height": 800})
            reports.append(axe_report(page))

    assert_reports_clean(reports)


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_from_the_header_finds_go_abroad_with_no_axe_violations(site_tree, page, language):
    search_index_rebuild()  # the test settings leave the index alone on save
    open_page(page, HOME[language])
    page.locator("#site-search-q").fill(GO_ABROAD_TITLE[language])
    with page.expect_navigation():
        page.locator("#site-search-q").press("Enter")

    result = page.locator("main").get_by_role("link", name=GO_ABROAD_TITLE[language])
    expect(result.first).to_be_visible()
    reports = [axe_report(page)]
    page.set_viewport_size({"width": 320, "height": 800})
    reports.append(axe_report(page))
    with page.expect_navigation():
        result.first.click()
    assert urlsplit(page.url).path == GO_ABROAD[language]
    reports.append(axe_report(page))
    page.set_viewport_size({"width": 1280, "height": 800})
    reports.append(axe_report(page))

    assert_reports_clean(reports)


def test_not_found_page_has_no_axe_violations_in_both_languages(site_tree, page):
    reports = []
    for language in LANGUAGES:
        open_page(page, NOT_FOUND[language], status=404)
        expect(page.locator("html")).to_have_attribute("lang", language)
        reports.append(axe_report(page))

    assert_reports_clean(reports)


@pytest.mark.parametrize("language", LANGUAGES)
def test_page_is_readable_without_javascript(site_tree, page_factory, language):
    page = open_page(page_factory(java_script_enabled=False), INFORMATION[language])

    expect(page.locator("main h1")).to_have_text(INFORMATION_TITLE[language])
    current = page.locator("nav.main-nav").get_by_role("link", name=INFORMATION_TITLE[language])
    expect(current).to_have_attribute("aria-current", "page")
    expect(page.locator(".language-switcher a")).to_be_visible()
