"""The learning agreement and recognition in Chromium: a student back from TUM reads the
agreement (and its printed layout), swaps a course of a combination in a change, and enters a
line of the transcript; axe on both pages at 1280 and 320 px, in both languages."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from onboarding.approvals.models import CaseLine
from onboarding.units.kinds import UnitKind
from onboarding.units.services import unit_editor_add
from tests.factories import UserFactory
from tests.onboarding.approvals.agreement_builders import (
    GERMAN_ROWS,
    change_make,
    course,
    decided_case,
    ours,
    scale_make,
    spec,
)
from tests.onboarding.exchange.factories import (
    agreement_create,
    institution_create,
    programme_create,
)
from tests.onboarding.units.factories import directory_create, unit_create

from .helpers import assert_no_axe_violations, collect_problems, db_access, sign_in

pytestmark = pytest.mark.browser

PAGES = {
    "nb": "/nb/utveksling/emnegodkjenning/saker/{pk}/",
    "en": "/en/exchange/approvals/cases/{pk}/",
}


@pytest.fixture
def stay(site_tree, asgi_server):
    directory = directory_create(site_tree["home"], publish=False)
    faculty = unit_create(
        directory,
        kind=UnitKind.FACULTY,
        name_nb="Fakultet for informasjonsteknologi",
        name_en="Faculty of Information Technology",
        publish=False,
    )
    tum = institution_create(
        country="DE", name="Technische Universität München", schac="tum.de", city="München"
    )
    agreement = agreement_create(institution=tum, owner_unit=faculty)
    adviser = UserFactory(email="adviser@example.test")
    unit_editor_add(unit=faculty, user=adviser)
    student = UserFactory(email="ida@example.test", first_name="Ida", last_name="Berg")
    case, lines = decided_case(
        student=student,
        agreement=agreement,
        unit=faculty,
        adviser=adviser,
        programme=programme_create(owner_unit=faculty, code="BIT", name="Informatikk"),
        year=timezone.localdate().year - 1,
        lines=[
            spec(
                [course("IN2010", "Grundlagen: Algorithmen und Datenstrukturen", "6")],
                [ours("DAT200", "Algoritmer", "Algorithms", "7.5")],
            ),
            spec(
                [
                    course("IN2064", "Machine Learning", "8"),
                    course("IN2346", "Introduction to Deep Learning", "6"),
                ],
                [ours("DAT305", "Maskinlæring", "Machine learning", "15")],
            ),
        ],
    )
    change_make(case, status="draft", reason="IN2346 is not taught this semester.")
    scale_make(institution=tum, rows=GERMAN_ROWS)
    return {"case": case, "student": student, "ml": lines[1]}


def _clean_at_both_widths(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_no_axe_violations(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_student_reads_changes_and_prints_the_agreement_then_enters_the_transcript(
    stay, page, asgi_server, language
):
    problems = collect_problems(page)
    sign_in(page, asgi_server, stay["student"])
    base = PAGES[language].format(pk=stay["case"].pk)
    agreement_path = base + ("laeringsavtale/" if language == "nb" else "learning-agreement/")
    page.goto(agreement_path)
    expect(page.locator("table.la-table").first).to_contain_text("IN2064")
    # With JavaScript the print button shows; printed, the forms go and the signatures come.
    expect(page.locator("[data-print]")).to_be_visible()
    expect(page.locator(".la-signatures")).to_be_hidden()
    _clean_at_both_widths(page)
    page.emulate_media(media="print")
    expect(page.locator(".la-signatures")).to_be_visible()
    expect(page.locator("#details")).to_be_hidden()
    page.emulate_media(media="screen")

    # Swap IN2346 out of the combination: the page says what must be approved again.
    page.locator('form:has(input[name="course"][value="IN2346"]) button').click()
    expect(page.locator(".message").last).to_contain_text("IN2064")
    with db_access():
        assert CaseLine.objects.filter(drops=stay["ml"]).exists()

    recognition = base + ("godkjenning/" if language == "nb" else "recognition/")
    page.goto(recognition)
    page.fill("#id_code", "IN2010")
    page.fill("#id_grade", "1,7")
    page.fill("#id_ects", "6")
    page.locator("form.form-card button[type=submit]").first.click()
    expect(page.locator('tbody[data-state="recognised"]')).to_have_count(1)
    _clean_at_both_widths(page)
    problems.assert_none()
