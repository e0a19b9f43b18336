"""Bilingual completeness in Chromium: a faculty's editor (two-factor) opens the completeness
table from the Reports menu's page, goes to the faculty's report, follows the link to fix a page
missing its English text, and reads the report again in Bokmål. Axe on the report in both
languages at 1280 and 320 px; no console error or CSP report on any page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cms.models import HomePage
from onboarding.units.services import unit_editor_add
from tests.factories import StaffFactory
from tests.onboarding.units.completeness_factories import page_add
from tests.onboarding.units.factories import mfa_enable, unit_tree

from .helpers import axe_report, collect_problems, db_access, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def faculty(site_tree, asgi_server):
    """Faculty A with a complete page and one not yet written in English; its editor."""
    tree = unit_tree(HomePage.objects.get())
    unit = tree["faculty_a"]
    page_add(unit)
    unit.missing_page = page_add(unit, en=False)
    unit.editor = mfa_enable(StaffFactory(language="en"))
    unit_editor_add(unit=unit, user=unit.editor)
    return unit


def axe_at_both_widths(page, reports):
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        reports.append(axe_report(page))
    page.set_viewport_size({"width": 1280, "height": 800})


def test_an_editor_reads_their_units_completeness_and_fixes_a_page(
    faculty, page_factory, asgi_server
):
    reports = []
    page = sign_in(page_factory(1280), asgi_server, faculty.editor)
    problems = collect_problems(page)

    page.goto(reverse("units_admin:completeness"))
    expect(page.locator("h1")).to_contain_text("Bilingual completeness")
    expect(page.locator("[data-completeness] tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Faculty of Natural Sciences").click()

    expect(page.locator("h1")).to_contain_text(
        re.compile(r"Bilingual completeness\s+Faculty of Natural Sciences")
    )
    expect(page.locator("main")).to_contain_text("66 % of its 3 pages and items")
    row = page.locator("[data-completeness] tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("English: title, introduction, body")
    axe_at_both_widths(page, reports)

    with page.expect_navigation():
        row.get_by_role("link", name=re.compile("^Edit")).click()
    expect(page).to_have_url(
        re.compile(reverse("wagtailadmin_pages:edit", args=[faculty.missing_page.pk]) + "$")
    )
    expect(page.locator("#id_title_en")).to_be_attached()

    # The admin's language follows the editor's preference.
    with db_access():
        faculty.editor.language = "nb"
        faculty.editor.save(update_fields=["language"])
    page.goto(reverse("units_admin:completeness_unit", args=[faculty.pk]))
    expect(page.locator("h1")).to_contain_text("Tospråklig fullstendighet")
    expect(page.locator("[data-completeness] tbody tr")).to_contain_text("Engelsk")
    axe_at_both_widths(page, reports)

    failures = [report for report in reports if report]
    assert not failures, "\n\n".join(failures)
    assert problems == []
